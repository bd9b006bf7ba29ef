import { assertNever, without, type Decider } from '#libs/decider';
import { dayBefore, firstYearOf, isDate, isSchoolYear, osloDate } from '#libs/calendar';
import {
  CapacityCannotDropBelowPlacesHeld,
  CapacityIsInvalid,
  DateIsInvalid,
  FeeChangeIsForASemesterUnderWay,
  OfferingAlreadyExists,
  OfferingIsClosed,
  OfferingIsFull,
  OfferingIsInvalid,
  OfferingNotFound,
  OnePlacePerStudentPerOffering,
  PlaceAlreadyExists,
  PlaceIsAlreadyOnLeave,
  PlaceIsNotOnLeave,
  PlaceNotFound,
  ReservationIsSettled,
  TransferNeedsAnotherOffering,
} from './enrolment.errors.js';
import { enrolmentPolicies, type EnrolmentPolicies } from './enrolment.policy.js';
import type { OfferingCommand } from './offering.commands.js';
import type { OfferingEvent, SeatsReleased } from './offering.events.js';
import { withdrawalNotice } from './withdrawal-notice.js';
import { decideReregistration, evolveReregistration, requireContinuation } from './offering.reregistration.js';
import { feeInForceOn, isSemesterFirstDay, openingFeeOre, requireFee } from './offering.fees.js';
import {
  freeSeats,
  initialOffering,
  seatsTaken,
  type ExistingOffering,
  type Offering,
  type Place,
  type SeatHeld,
} from './offering.state.js';

const withPlace = (offering: ExistingOffering, place: Place): ExistingOffering => ({
  ...offering,
  places: { ...offering.places, [place.placeId]: place },
});

const withReservation = (
  offering: ExistingOffering,
  offerId: string,
  reservation: 'held' | 'filled' | 'released',
): ExistingOffering => ({ ...offering, reservations: { ...offering.reservations, [offerId]: reservation } });

export const evolve = (state: Offering, event: OfferingEvent): Offering => {
  if (event.type === 'OfferingOpened') {
    const { offeringId, capacity, subject, subjectGroup, programme, location, district, form } = event.data;
    const { schoolYear } = event.data;
    const feePerSemesterOre = openingFeeOre(event.data);
    const details = { subject, subjectGroup, programme, location, district, form, feePerSemesterOre, schoolYear };
    const { continuesOfferingId, continuingPlaceIds } = event.data;
    return {
      status: 'Open',
      offeringId,
      capacity,
      details,
      places: {},
      ...(continuesOfferingId ? { continuesOfferingId } : {}),
      ...(continuingPlaceIds?.length
        ? { promised: Object.fromEntries(continuingPlaceIds.map((id) => [id, true])) }
        : {}),
    };
  }
  if (state.status === 'NotOpened') return state;
  switch (event.type) {
    case 'CapacityChanged':
      return { ...state, capacity: event.data.capacity };
    case 'OfferingClosed':
      return { ...state, status: 'Closed' };
    case 'OfferingFeeChanged': {
      const { feePerSemesterOre, effectiveFrom } = event.data;
      return { ...state, fees: [...(state.fees ?? []), { feePerSemesterOre, effectiveFrom }] };
    }
    case 'PlaceEnrolled': {
      const { placeId, studentId, viaOfferId } = event.data;
      // A continuing place fills the seat promised to it; the state keeps no empty promise list.
      const { [placeId]: _kept, ...promised } = state.promised ?? {};
      const fulfilled = state.promised?.[placeId] ? { ...state, promised } : state;
      const enrolled = withPlace(fulfilled, { placeId, studentId, status: 'Active' });
      return viaOfferId && state.reservations?.[viaOfferId] === 'held'
        ? withReservation(enrolled, viaOfferId, 'filled')
        : enrolled;
    }
    case 'PlacePutOnLeave':
    case 'PlaceReturnedFromLeave': {
      const place = state.places[event.data.placeId];
      if (!place) return state;
      return withPlace(state, { ...place, status: event.type === 'PlacePutOnLeave' ? 'OnLeave' : 'Active' });
    }
    case 'PlaceTransferredOut':
    case 'PlaceWithdrawn': {
      const { placeId, seatHeldThrough } = event.data;
      const left = { ...state, places: without(state.places, placeId) };
      if (!seatHeldThrough) return left;
      const held: SeatHeld = {
        lastDay: seatHeldThrough,
        reason: event.type === 'PlaceWithdrawn' ? 'withdrawal' : 'transfer',
      };
      return { ...left, heldThrough: { ...state.heldThrough, [placeId]: held } };
    }
    case 'SeatsReleased': {
      const heldThrough = (event.data.placeIds ?? []).reduce((held, placeId) => without(held, placeId), {
        ...state.heldThrough,
      });
      return { ...state, heldThrough };
    }
    case 'SeatReserved':
      return withReservation(state, event.data.offerId, 'held');
    case 'SeatReservationReleased':
      return withReservation(state, event.data.offerId, 'released');
    case 'LessonsCancelledBySchool': {
      const key = `${event.data.schoolYear}/${event.data.term}`;
      return { ...state, cancelled: { ...state.cancelled, [key]: event.data.cancelledLessons } };
    }
    case 'PlaceReregistrationRequested':
    case 'PlaceReregistrationReminded':
    case 'PlaceReregistered':
    case 'PlaceQuitAtYearEnd':
    case 'PlaceContinued':
      return evolveReregistration(state, event);
    default:
      return assertNever(event);
  }
};

const requireDate = (field: string, value: string): void => {
  if (!isDate(value)) throw new DateIsInvalid(field, value);
};

const requireCapacity = (capacity: number): void => {
  if (!Number.isInteger(capacity) || capacity < 1) throw new CapacityIsInvalid(capacity);
};

const findPlace = (state: ExistingOffering, placeId: string): Place => {
  const place = state.places[placeId];
  if (!place) throw new PlaceNotFound(placeId);
  return place;
};

/** A seat set free while the offering is open goes to the waitlist; a closed offering fills no seats. */
const released = (
  state: ExistingOffering,
  count: number,
  reason: SeatsReleased['data']['reason'],
  releasedAt: string,
): OfferingEvent[] =>
  state.status === 'Open'
    ? [
        {
          type: 'SeatsReleased',
          data: { offeringId: state.offeringId, count, freeSeats: freeSeats(state) + count, reason, releasedAt },
        },
      ]
    : [];

/**
 * A place that ends keeps its seat through its last day, so places counted on any date never exceed the capacity:
 * the seat is held when the last day is today or later, and freed at once when it has passed (a late record).
 */
const leaving = (
  state: ExistingOffering,
  lastDay: string,
  reason: 'withdrawal' | 'transfer',
  now: string,
): { seatHeldThrough: string | null; released: OfferingEvent[] } =>
  lastDay >= osloDate(now)
    ? { seatHeldThrough: lastDay, released: [] }
    : { seatHeldThrough: null, released: released(state, 1, reason, now) };

/** A place counts from the day it is enrolled, a transfer's effective day, or its school year's first day. */
const startOf = (state: ExistingOffering, now: string, requested?: string): string => {
  const yearStarts = `${firstYearOf(state.details.schoolYear)}-08-01`;
  return [osloDate(now), yearStarts, requested ?? ''].reduce((a, b) => (b > a ? b : a));
};

/**
 * A price-list change from a semester's first day. A semester that has begun is refused: its fee lines have gone to
 * billing and the family stayed past the withdrawal deadline at that price; a later semester's lines are assessed
 * again (SemesterFeesAssessed replacing the earlier one, so billing credits it). The same fee again changes nothing.
 */
const changeFee = (
  state: ExistingOffering,
  { feePerSemesterOre, effectiveFrom, reason }: { feePerSemesterOre: number; effectiveFrom: string; reason: string },
  now: string,
): OfferingEvent[] => {
  requireFee(feePerSemesterOre);
  requireDate('effectiveFrom', effectiveFrom);
  if (!isSemesterFirstDay(effectiveFrom)) {
    throw new OfferingIsInvalid(
      `A fee changes from a semester's first day (1 January or 1 August), not ${effectiveFrom}`,
    );
  }
  const firstDay = `${firstYearOf(state.details.schoolYear)}-08-01`;
  if (effectiveFrom < firstDay) {
    throw new OfferingIsInvalid(`The offering teaches from ${firstDay}: a fee from ${effectiveFrom} bills nothing`);
  }
  if (reason.trim() === '') throw new OfferingIsInvalid('A fee change needs a reason');
  const today = osloDate(now);
  if (effectiveFrom <= today) throw new FeeChangeIsForASemesterUnderWay(effectiveFrom, today);
  const fees = state.fees ?? [];
  // Only a line from that very day with that fee makes the change a repeat. A fee that is merely in force on that
  // day still gets its own line: it keeps the fee from that day when an earlier day's fee changes later.
  if (fees.findLast((line) => line.effectiveFrom === effectiveFrom)?.feePerSemesterOre === feePerSemesterOre) return [];
  const previous = feeInForceOn(state.details.feePerSemesterOre, fees, effectiveFrom);
  const { offeringId } = state;
  return [
    {
      type: 'OfferingFeeChanged',
      data: {
        ...{ offeringId, feePerSemesterOre, previousFeePerSemesterOre: previous, effectiveFrom },
        ...{ reason: reason.trim(), changedAt: now },
      },
    },
  ];
};

// Transfer is two facts in two streams: the handler enrols the student in the target first (which may refuse),
// then records PlaceTransferredOut here, so a refused transfer leaves the student where it was.
export const createOfferingDecider = (
  policies: EnrolmentPolicies = enrolmentPolicies(),
): Decider<OfferingCommand, OfferingEvent, Offering> => {
  const decideExisting = (
    command: Exclude<OfferingCommand, { type: 'OpenOffering' }>,
    state: ExistingOffering,
  ): OfferingEvent[] => {
    const { offeringId } = state;
    const { now } = command.metadata;
    switch (command.type) {
      case 'ChangeCapacity': {
        const { capacity } = command.data;
        requireCapacity(capacity);
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        // Places held, places running to their last day and seats under offer are all promised to a child.
        if (capacity < seatsTaken(state)) throw new CapacityCannotDropBelowPlacesHeld(capacity, seatsTaken(state));
        if (capacity === state.capacity) return [];
        const changed: OfferingEvent = {
          type: 'CapacityChanged',
          data: { offeringId, previousCapacity: state.capacity, capacity, changedAt: now },
        };
        // A raised capacity frees seats for the waitlist just as a withdrawal does.
        return capacity > state.capacity
          ? [changed, ...released(state, capacity - state.capacity, 'capacity raised', now)]
          : [changed];
      }
      case 'CloseOffering':
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        return [{ type: 'OfferingClosed', data: { offeringId, closedAt: now } }];
      case 'ChangeFee':
        // A closed offering still bills the places that run on, so its price list can change too.
        return changeFee(state, command.data, now);
      case 'Enrol': {
        const { placeId, studentId, viaOfferId, startsOn: requested, ...enrolled } = command.data;
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        if (state.places[placeId]) throw new PlaceAlreadyExists(placeId);
        requireContinuation(state, command);
        if (Object.values(state.places).some((p) => p.studentId === studentId)) {
          throw new OnePlacePerStudentPerOffering(studentId, offeringId);
        }
        // An accepted offer fills the seat set aside for it; anything else needs a seat nobody holds or is offered.
        const reserved =
          (viaOfferId !== null && state.reservations?.[viaOfferId] === 'held') || state.promised?.[placeId] === true;
        if (!reserved && freeSeats(state) < 1) throw new OfferingIsFull(offeringId, state.capacity);
        const { subjectGroup, programme } = state.details;
        const startsOn = startOf(state, now, requested);
        return [
          {
            type: 'PlaceEnrolled',
            data: {
              ...{ ...enrolled, placeId, studentId, viaOfferId, offeringId, subjectGroup, programme },
              ...{ enrolledAt: now, startsOn },
            },
          },
        ];
      }
      case 'ReserveSeat': {
        const { offerId } = command.data;
        // Once per offer: a retried step takes no second seat, and a filled or released offer is not reopened.
        const reservation = state.reservations?.[offerId];
        if (reservation === 'held') return [];
        if (reservation) throw new ReservationIsSettled(offerId, reservation);
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        if (freeSeats(state) < 1) throw new OfferingIsFull(offeringId, state.capacity);
        return [
          { type: 'SeatReserved', data: { offeringId, offerId, freeSeats: freeSeats(state) - 1, reservedAt: now } },
        ];
      }
      case 'ReleaseReservation': {
        const { offerId, reason } = command.data;
        if (state.reservations?.[offerId] !== 'held') return [];
        return [
          {
            type: 'SeatReservationReleased',
            data: { offeringId, offerId, reason, freeSeats: freeSeats(state) + 1, releasedAt: now },
          },
        ];
      }
      case 'ReleaseEndedSeats': {
        const today = osloDate(now);
        const ended = Object.entries(state.heldThrough ?? {}).filter(([, held]) => held.lastDay < today);
        // One event per place: each says why its seat was held and when it came free.
        return ended.map(([placeId, held], index): OfferingEvent => ({
          type: 'SeatsReleased',
          data: {
            ...{ offeringId, count: 1, freeSeats: freeSeats(state) + index + 1, reason: held.reason },
            ...{ releasedAt: now, placeIds: [placeId] },
          },
        }));
      }
      case 'Transfer': {
        const { placeId, toOfferingId, toPlaceId, effectiveOn } = command.data;
        requireDate('effectiveOn', effectiveOn);
        if (toOfferingId === offeringId) throw new TransferNeedsAnotherOffering(offeringId);
        const { studentId } = findPlace(state, placeId);
        // effectiveOn is the first day in the new offering, so the last day here is the day before.
        const { seatHeldThrough, released: freed } = leaving(state, dayBefore(effectiveOn), 'transfer', now);
        return [
          {
            type: 'PlaceTransferredOut',
            data: {
              ...{ offeringId, placeId, studentId, toOfferingId, toPlaceId, effectiveOn },
              ...{ transferredAt: now, seatHeldThrough },
            },
          },
          ...freed,
        ];
      }
      case 'PutOnLeave': {
        const { placeId, from, until } = command.data;
        requireDate('from', from);
        if (until !== null) requireDate('until', until);
        if (until !== null && until < from) throw new DateIsInvalid('until (before from)', until);
        const place = findPlace(state, placeId);
        if (place.status === 'OnLeave') throw new PlaceIsAlreadyOnLeave(placeId);
        return [
          {
            type: 'PlacePutOnLeave',
            data: { offeringId, placeId, studentId: place.studentId, from, until, recordedAt: now },
          },
        ];
      }
      case 'ReturnFromLeave': {
        const place = findPlace(state, command.data.placeId);
        if (place.status !== 'OnLeave') throw new PlaceIsNotOnLeave(place.placeId);
        return [
          {
            type: 'PlaceReturnedFromLeave',
            data: { offeringId, placeId: place.placeId, studentId: place.studentId, returnedAt: now },
          },
        ];
      }
      case 'Withdraw': {
        const { placeId, effectiveOn } = command.data;
        requireDate('effectiveOn', effectiveOn);
        const { studentId } = findPlace(state, placeId);
        const { seatHeldThrough, released: withdrawalFreed } = leaving(state, effectiveOn, 'withdrawal', now);
        const noticeOn = osloDate(now);
        // Rule 7 by notice day and last day: the event states what is owed, so fee consumers need no deadlines.
        const fees = withdrawalNotice(effectiveOn, noticeOn, policies);
        return [
          {
            type: 'PlaceWithdrawn',
            data: {
              offeringId,
              placeId,
              studentId,
              effectiveOn,
              noticeOn,
              ...fees,
              seatHeldThrough,
            },
          },
          // effectiveOn is the place's last day: its seat is held through it (see leaving).
          ...withdrawalFreed,
        ];
      }
      case 'RecordCancelledLessons': {
        const { schoolYear, term, cancelledLessons } = command.data;
        if (!isSchoolYear(schoolYear))
          throw new OfferingIsInvalid(`"${schoolYear}" is not a school year like 2025-2026`);
        if (term !== 'autumn' && term !== 'spring')
          throw new OfferingIsInvalid(`"${String(term)}" is not autumn or spring`);
        if (!Number.isInteger(cancelledLessons) || cancelledLessons < 0 || cancelledLessons > 100) {
          throw new OfferingIsInvalid(
            `Cancelled lessons must be a whole number from 0 to 100, not ${cancelledLessons}`,
          );
        }
        if ((state.cancelled?.[`${schoolYear}/${term}`] ?? 0) === cancelledLessons) return [];
        return [
          {
            type: 'LessonsCancelledBySchool',
            data: { offeringId, schoolYear, term, cancelledLessons, recordedAt: now },
          },
        ];
      }
      case 'RequestReregistration':
      case 'RemindReregistration':
      case 'Reregister':
      case 'ApplyReregistrationSilence':
      case 'ContinuePlace':
        return decideReregistration(command, state, decideExisting);
      default:
        return assertNever(command);
    }
  };

  return {
    initialState: initialOffering,
    evolve,
    decide: (command, state) => {
      if (command.type === 'OpenOffering') {
        if (state.status !== 'NotOpened') throw new OfferingAlreadyExists(state.offeringId);
        const { capacity, feePerSemesterOre, schoolYear, subject, location } = command.data;
        requireCapacity(capacity);
        requireFee(feePerSemesterOre);
        if (!isSchoolYear(schoolYear))
          throw new OfferingIsInvalid(`"${schoolYear}" is not a school year like 2025-2026`);
        if (subject.trim() === '' || location.trim() === '') {
          throw new OfferingIsInvalid('An offering needs a subject and a location');
        }
        return [{ type: 'OfferingOpened', data: { ...command.data, openedAt: command.metadata.now } }];
      }
      if (state.status === 'NotOpened') throw new OfferingNotFound();
      return decideExisting(command, state);
    },
  };
};

export const offeringDecider = createOfferingDecider();
