import { without } from '#libs/decider';
import { isDate, osloDate } from '#libs/calendar';
import { DateIsInvalid, PlaceNotFound } from './enrolment.errors.js';
import { PlaceIsQuittingAtYearEnd, PlaceDoesNotContinueThisOffering } from './enrolment.errors.js';
import { schoolYearLastDay } from './enrolment.policy.js';
import type {
  ApplyReregistrationSilence,
  ContinuePlace,
  Enrol,
  RemindReregistration,
  RequestReregistration,
  Reregister,
  Withdraw,
} from './offering.commands.js';
import type { OfferingEvent, PlaceContinued, PlaceQuitAtYearEnd, PlaceReregistered } from './offering.events.js';
import type { ExistingOffering, Reregistration } from './offering.state.js';

/*
 * Rule 6 and rollover, for one offering (one school year): each place is asked in the spring whether it continues,
 * a quit ends it at the school year's end (a withdrawal with that last day, so rule 7 decides the fees), and the
 * rollover moves each place that did not quit into the next year's offering from 1 August.
 */

export type ReregistrationCommand =
  RequestReregistration | RemindReregistration | Reregister | ApplyReregistrationSilence | ContinuePlace;

export type ReregistrationEvent = Extract<
  OfferingEvent,
  {
    type:
      | 'PlaceReregistrationRequested'
      | 'PlaceReregistrationReminded'
      | 'PlaceReregistered'
      | 'PlaceQuitAtYearEnd'
      | 'PlaceContinued';
  }
>;

/** The offering's own Withdraw, so a quit owes what any withdrawal with that last day owes. */
type Withdrawal = (command: Withdraw, state: ExistingOffering) => OfferingEvent[];

const withReregistration = (state: ExistingOffering, placeId: string, status: Reregistration): ExistingOffering => ({
  ...state,
  reregistration: { ...state.reregistration, [placeId]: status },
});

export const evolveReregistration = (state: ExistingOffering, event: ReregistrationEvent): ExistingOffering => {
  switch (event.type) {
    case 'PlaceReregistrationRequested':
      return {
        ...withReregistration(state, event.data.placeId, 'Requested'),
        reregistrationDeadline: event.data.deadline,
      };
    case 'PlaceReregistrationReminded':
      return state;
    case 'PlaceReregistered':
      return withReregistration(state, event.data.placeId, 'Continuing');
    case 'PlaceQuitAtYearEnd':
      return withReregistration(state, event.data.placeId, 'Quitting');
    case 'PlaceContinued': {
      const { placeId, toPlaceId, seatHeldThrough } = event.data;
      const left = {
        ...state,
        places: without(state.places, placeId),
        continued: { ...state.continued, [placeId]: toPlaceId },
      };
      return seatHeldThrough
        ? {
            ...left,
            heldThrough: { ...state.heldThrough, [placeId]: { lastDay: seatHeldThrough, reason: 'continuation' } },
          }
        : left;
    }
  }
};

/** A place asked whose family has not answered. */
const unanswered = (state: ExistingOffering): string[] =>
  Object.keys(state.places).filter((placeId) => state.reregistration?.[placeId] === 'Requested');

const answer = (
  state: ExistingOffering,
  placeId: string,
  continues: boolean,
  how: 'reply' | 'silence',
  now: string,
  withdraw: Withdrawal,
): OfferingEvent[] => {
  const { offeringId } = state;
  const { schoolYear } = state.details;
  const { studentId } = state.places[placeId] ?? { studentId: '' };
  if (continues) {
    const continued: PlaceReregistered = {
      type: 'PlaceReregistered',
      data: { offeringId, placeId, studentId, schoolYear, answer: how, answeredAt: now },
    };
    return [continued];
  }
  const lastDay = schoolYearLastDay(schoolYear);
  const quit: PlaceQuitAtYearEnd = {
    type: 'PlaceQuitAtYearEnd',
    data: { offeringId, placeId, studentId, schoolYear, lastDay, answer: how, answeredAt: now },
  };
  const withdrawal = withdraw({ type: 'Withdraw', data: { placeId, effectiveOn: lastDay }, metadata: { now } }, state);
  return [quit, ...withdrawal];
};

/** Only a place whose school year this offering continues may carry `continuesFrom`. */
export const requireContinuation = (state: ExistingOffering, command: Enrol): void => {
  const from = command.data.continuesFrom;
  if (from && from.offeringId !== state.continuesOfferingId) {
    throw new PlaceDoesNotContinueThisOffering(from.placeId, state.offeringId);
  }
};

export const decideReregistration = (
  command: ReregistrationCommand,
  state: ExistingOffering,
  withdraw: Withdrawal,
): OfferingEvent[] => {
  const { offeringId } = state;
  const { schoolYear } = state.details;
  const { now } = command.metadata;
  switch (command.type) {
    case 'RequestReregistration': {
      const { deadline } = command.data;
      if (!isDate(deadline)) throw new DateIsInvalid('deadline', deadline);
      // Once per place: a repeated request (a retried tick) asks nobody twice.
      return Object.values(state.places)
        .filter((place) => state.reregistration?.[place.placeId] === undefined)
        .map(({ placeId, studentId }): OfferingEvent => ({
          type: 'PlaceReregistrationRequested',
          data: { offeringId, placeId, studentId, schoolYear, deadline, requestedAt: now },
        }));
    }
    case 'RemindReregistration':
      return unanswered(state).map((placeId): OfferingEvent => ({
        type: 'PlaceReregistrationReminded',
        data: {
          ...{ offeringId, placeId, studentId: state.places[placeId]?.studentId ?? '', schoolYear },
          ...{ deadline: state.reregistrationDeadline ?? '', remindedAt: now },
        },
      }));
    case 'Reregister': {
      const { placeId, continues } = command.data;
      if (!state.places[placeId]) throw new PlaceNotFound(placeId);
      const status = state.reregistration?.[placeId];
      if (status === 'Quitting') throw new PlaceIsQuittingAtYearEnd(placeId);
      if (status === 'Continuing' && continues) return [];
      return answer(state, placeId, continues, 'reply', now, withdraw);
    }
    case 'ApplyReregistrationSilence': {
      const continues = command.data.silence !== 'quit';
      // Each place's withdrawal is decided on the state its predecessors in this batch left behind.
      const events: OfferingEvent[] = [];
      let current = state;
      for (const placeId of unanswered(state)) {
        const decided = answer(current, placeId, continues, 'silence', now, withdraw);
        events.push(...decided);
        current = decided.reduce(
          (s, e) =>
            e.type === 'PlaceReregistered' || e.type === 'PlaceQuitAtYearEnd' ? evolveReregistration(s, e) : s,
          current,
        );
      }
      return events;
    }
    case 'ContinuePlace': {
      const { placeId, toOfferingId, toPlaceId } = command.data;
      // Once per place: a rollover run again continues nothing twice.
      if (state.continued?.[placeId] === toPlaceId) return [];
      const place = state.places[placeId];
      if (!place) throw new PlaceNotFound(placeId);
      if (state.reregistration?.[placeId] === 'Quitting') throw new PlaceIsQuittingAtYearEnd(placeId);
      const lastDay = schoolYearLastDay(schoolYear);
      // The seat stays held through the last day, so no date counts more places here than seats.
      const seatHeldThrough = lastDay >= osloDate(now) ? lastDay : null;
      const continued: PlaceContinued = {
        type: 'PlaceContinued',
        data: {
          ...{ offeringId, placeId, studentId: place.studentId, toOfferingId, toPlaceId, lastDay },
          ...{ continuedAt: now, seatHeldThrough },
        },
      };
      return [continued];
    }
  }
};
