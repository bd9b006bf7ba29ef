import { assertNever, type Decider } from '#libs/decider';
import { answerDeadline, isInstant, isSchoolYear, osloDate, schoolYearOf } from '#libs/calendar';
import type { BirthInput, WaitlistCommand } from './waitlist.commands.js';
import {
  ApplicationAlreadyExists,
  ApplicationIsInvalid,
  ApplicationNotFound,
  ChildAlreadyHoldsAnOffer,
  MainAdmissionHasNotRun,
  NoMainAdmission,
  NobodyIsWaiting,
  OfferAlreadyExists,
  OfferDeadlineHasNotPassed,
  OfferHasExpired,
  OfferingAdmitsByAudition,
  OfferingAdmitsFromTheQueue,
  OfferIsNoLongerOpen,
  OfferNotFound,
  OfferWasNotAccepted,
  OneApplicationPerChild,
  ReconfirmationDeadlineHasNotPassed,
  ReconfirmationDeadlineHasPassed,
  SchoolYearHasEnded,
  SchoolYearIsInvalid,
  WaitlistIsAlreadyOpen,
  WaitlistIsNotOpen,
} from './waitlist.errors.js';
import type { WaitlistEvent } from './waitlist.events.js';
import {
  mainAdmissionDay,
  reconfirmationDeadline,
  reconfirmationRequestDay,
  waitlistPolicies,
  type WaitlistPolicies,
} from './waitlist.policy.js';
import { firstInQueue } from './waitlist-queue.js';
import {
  evolve,
  initialWaitlist,
  offerableEntries,
  type Offer,
  type Entry,
  type OpenWaitlistState,
  type Waitlist,
} from './waitlist.state.js';

const pad = (n: number): string => String(n).padStart(2, '0');

// Only year and month are kept: enough to order by age, and less identifying than a full birth date.
const bornOf = (birth: BirthInput): string => {
  const born = 'birthDate' in birth ? birth.birthDate.slice(0, 7) : `${birth.birthYear}-${pad(birth.birthMonth)}`;
  const valid = 'birthDate' in birth ? /^\d{4}-\d{2}-\d{2}$/.test(birth.birthDate) : true;
  if (!valid || !/^\d{4}-(0[1-9]|1[0-2])$/.test(born)) {
    throw new ApplicationIsInvalid(`A birth date must be YYYY-MM-DD or a year and a month 1-12, not ${born}`);
  }
  return born;
};

const requireSchoolYear = (schoolYear: string): void => {
  if (!isSchoolYear(schoolYear)) throw new SchoolYearIsInvalid(schoolYear);
};

const findOffer = (state: OpenWaitlistState, offerId: string): Offer => {
  const offer = state.offers.get(offerId);
  if (!offer) throw new OfferNotFound(offerId);
  return offer;
};

/** An offer that can still be answered: pending, and `now` before its deadline. */
const answerableOffer = (state: OpenWaitlistState, offerId: string, now: string) => {
  const offer = findOffer(state, offerId);
  if (offer.status === 'Lapsed') throw new OfferHasExpired(offerId, offer.deadline);
  if (offer.status !== 'Pending') throw new OfferIsNoLongerOpen(offerId, offer.status);
  if (Date.parse(now) >= Date.parse(offer.deadline)) throw new OfferHasExpired(offerId, offer.deadline);
  return offer;
};

const requireNewOfferId = (state: OpenWaitlistState, offerId: string): void => {
  if (state.offers.get(offerId)) throw new OfferAlreadyExists(offerId);
};

/** A carried-over entry keeps the reconfirmations it made for this waitlist's school year and later ones. */
const carriedConfirmations = (
  state: OpenWaitlistState,
  { offeringId, applicationId, childId }: { offeringId: string; applicationId: string; childId: string },
  confirmedFor: readonly string[],
  now: string,
): WaitlistEvent[] =>
  confirmedFor
    .filter((schoolYear) => isSchoolYear(schoolYear) && (!state.schoolYear || schoolYear >= state.schoolYear))
    .map((schoolYear) => ({
      type: 'ApplicationReconfirmed',
      data: { offeringId, applicationId, childId, schoolYear, reconfirmedAt: now },
    }));

/**
 * Rule 12: a coming school year's seats wait for its main admission (run by a caseworker, or on its day), so they
 * go in queue order rather than to whoever applied first. A waitlist of the current year offers at once.
 */
export const awaitsMainAdmission = (state: OpenWaitlistState, now: string, policies: WaitlistPolicies): boolean => {
  const { schoolYear } = state;
  if (!schoolYear || state.mainAdmissionRun || state.admission === 'audition') return false;
  return schoolYear > schoolYearOf(now) && osloDate(now) < mainAdmissionDay(schoolYear, policies(schoolYear));
};

/** The waitlist decider; the policy in force is the offering's school year's (today's for waitlists older than 2026-12). */
export const createWaitlistDecider = (
  policies: WaitlistPolicies = waitlistPolicies(),
): Decider<WaitlistCommand, WaitlistEvent, Waitlist> => {
  const decideOpen = (command: Exclude<WaitlistCommand, { type: 'OpenWaitlist' }>, state: OpenWaitlistState) => {
    const { offeringId } = state;
    const { now } = command.metadata;
    switch (command.type) {
      case 'SubmitApplication': {
        const { applicationId, childId, appliedAt, specialNeeds, hasPlace, dimensions } = command.data;
        if (!isInstant(appliedAt)) throw new ApplicationIsInvalid(`appliedAt must be an ISO instant, not ${appliedAt}`);
        if (Date.parse(appliedAt) > Date.parse(now))
          throw new ApplicationIsInvalid(`appliedAt ${appliedAt} is in the future`);
        const born = bornOf(command.data);
        if (state.entries.get(applicationId)) throw new ApplicationAlreadyExists(applicationId);
        if (state.children.has(childId)) throw new OneApplicationPerChild(childId);
        const appliedOn = osloDate(appliedAt);
        const { carriedOverFrom } = command.data;
        // A carried-over entry was recorded when the family applied, not on the rollover's day.
        const recordedOn = carriedOverFrom ? appliedOn : osloDate(now);
        const submitted: WaitlistEvent = {
          type: 'ApplicationSubmitted',
          data: {
            ...{ offeringId, applicationId, childId, appliedAt, appliedOn, born, specialNeeds, hasPlace },
            ...(dimensions ? { dimensions } : {}),
            ...(recordedOn > appliedOn ? { recordedOn } : {}),
            ...(command.data.holdsPlaceInSubject ? { holdsPlaceInSubject: true } : {}),
            ...(command.data.payer ? { payer: command.data.payer } : {}),
            ...(carriedOverFrom
              ? {
                  carriedOverFrom: {
                    offeringId: carriedOverFrom.offeringId,
                    applicationId: carriedOverFrom.applicationId,
                  },
                }
              : {}),
          },
        };
        return [submitted, ...carriedConfirmations(state, submitted.data, carriedOverFrom?.confirmedFor ?? [], now)];
      }
      case 'WithdrawApplication': {
        const entry = state.entries.get(command.data.applicationId);
        if (!entry) throw new ApplicationNotFound(command.data.applicationId);
        const { applicationId, childId, offerId } = entry;
        const { carriedOverTo } = command.data;
        return [
          {
            type: 'ApplicationWithdrawn',
            data: {
              ...{ offeringId, applicationId, childId, withdrawnAt: now, offerId },
              ...(carriedOverTo ? { reason: 'carried-over' as const, carriedOverTo } : {}),
            },
          },
        ] satisfies WaitlistEvent[];
      }
      case 'Reconfirm': {
        const { schoolYear } = command.data;
        requireSchoolYear(schoolYear);
        const entry = state.entries.get(command.data.applicationId);
        if (!entry) throw new ApplicationNotFound(command.data.applicationId);
        const deadline = reconfirmationDeadline(schoolYear, policies(schoolYear));
        if (osloDate(now) > deadline) throw new ReconfirmationDeadlineHasPassed(schoolYear, deadline);
        // Reconfirming twice is harmless and records nothing new.
        if (entry.confirmedFor.includes(schoolYear)) return [];
        const { applicationId, childId } = entry;
        return [
          {
            type: 'ApplicationReconfirmed',
            data: { offeringId, applicationId, childId, schoolYear, reconfirmedAt: now },
          },
        ] satisfies WaitlistEvent[];
      }
      case 'RemoveUnconfirmed': {
        const { schoolYear } = command.data;
        requireSchoolYear(schoolYear);
        const deadline = reconfirmationDeadline(schoolYear, policies(schoolYear));
        if (osloDate(now) <= deadline) throw new ReconfirmationDeadlineHasNotPassed(schoolYear, deadline);
        // Every entry that existed when this year's request went out must answer it; one made since confirms itself.
        const requested = reconfirmationRequestDay(schoolYear, policies(schoolYear));
        const existedAtRequest = (e: Entry) => (e.recordedOn ?? e.appliedOn) < requested;
        // A child holding an offer is answering it; its application is settled by the answer, not removed under it.
        return [...state.entries.values()]
          .filter((e) => e.offerId === null && !e.confirmedFor.includes(schoolYear) && existedAtRequest(e))
          .map(({ applicationId, childId }): WaitlistEvent => ({
            type: 'UnconfirmedApplicationRemoved',
            data: { offeringId, applicationId, childId, schoolYear, removedAt: now },
          }));
      }
      case 'OfferSeat': {
        const { offerId } = command.data;
        if (state.admission === 'audition') throw new OfferingAdmitsByAudition(offeringId);
        requireNewOfferId(state, offerId);
        // A school year ends on 31 July: a seat freed after it would be a place in a year that is over.
        if (state.schoolYear && osloDate(now) > `${state.schoolYear.slice(5)}-07-31`)
          throw new SchoolYearHasEnded(state.schoolYear);
        // The seat itself was set aside in the offering (SeatReserved) before the offer is made.
        if (awaitsMainAdmission(state, now, policies)) {
          const schoolYear = state.schoolYear as string;
          throw new MainAdmissionHasNotRun(schoolYear, mainAdmissionDay(schoolYear, policies(schoolYear)));
        }
        const policy = policies(state.schoolYear ?? schoolYearOf(now));
        const next = firstInQueue(offerableEntries(state), policy);
        if (!next) throw new NobodyIsWaiting();
        return [
          {
            type: 'PlaceOffered',
            data: {
              offeringId,
              offerId,
              applicationId: next.applicationId,
              childId: next.childId,
              offeredAt: now,
              deadline: answerDeadline(now, policy.answerDays),
              basis: 'queue',
              reasons: next.reasons,
              silenceMeansAcceptance: policy.silenceMeansAcceptance,
            },
          },
        ] satisfies WaitlistEvent[];
      }
      case 'OfferSeatAfterAudition': {
        const { offerId, applicationId } = command.data;
        if (state.admission === 'queue') throw new OfferingAdmitsFromTheQueue(offeringId);
        requireNewOfferId(state, offerId);
        const entry = state.entries.get(applicationId);
        if (!entry) throw new ApplicationNotFound(applicationId);
        if (entry.offerId !== null) throw new ChildAlreadyHoldsAnOffer(entry.childId);
        const policy = policies(state.schoolYear ?? schoolYearOf(now));
        return [
          {
            type: 'PlaceOffered',
            data: {
              offeringId,
              offerId,
              applicationId,
              childId: entry.childId,
              offeredAt: now,
              deadline: answerDeadline(now, policy.answerDays),
              basis: 'audition',
              reasons: ['chosen at audition'],
              silenceMeansAcceptance: policy.silenceMeansAcceptance,
            },
          },
        ] satisfies WaitlistEvent[];
      }
      case 'AcceptOffer': {
        const { offerId, applicationId, childId } = answerableOffer(state, command.data.offerId, now);
        return [
          {
            type: 'OfferAccepted',
            data: { offeringId, offerId, applicationId, childId, acceptedAt: now, answer: 'reply' },
          },
        ] satisfies WaitlistEvent[];
      }
      case 'DeclineOffer': {
        const { offerId, applicationId, childId } = answerableOffer(state, command.data.offerId, now);
        return [
          { type: 'OfferDeclined', data: { offeringId, offerId, applicationId, childId, declinedAt: now } },
        ] satisfies WaitlistEvent[];
      }
      case 'ExpireOffer': {
        const offer = findOffer(state, command.data.offerId);
        if (offer.status !== 'Pending') throw new OfferIsNoLongerOpen(offer.offerId, offer.status);
        if (Date.parse(now) < Date.parse(offer.deadline))
          throw new OfferDeadlineHasNotPassed(offer.offerId, offer.deadline);
        const { offerId, applicationId, childId, deadline } = offer;
        // Silence is read as the offer said when it was made; a lapsed offer ends the application, as a decline does.
        return [
          offer.silenceMeansAcceptance
            ? {
                type: 'OfferAccepted',
                data: { offeringId, offerId, applicationId, childId, acceptedAt: deadline, answer: 'silence' },
              }
            : { type: 'OfferLapsed', data: { offeringId, offerId, applicationId, childId, lapsedAt: deadline } },
        ] satisfies WaitlistEvent[];
      }
      case 'RunMainAdmission': {
        const { schoolYear } = state;
        if (state.admission === 'audition') throw new OfferingAdmitsByAudition(offeringId);
        if (!schoolYear || schoolYear <= schoolYearOf(now)) throw new NoMainAdmission(schoolYear);
        // Once per waitlist: running it again (or on its day after a caseworker did) changes nothing.
        if (state.mainAdmissionRun) return [];
        return [{ type: 'MainAdmissionRun', data: { offeringId, schoolYear, runAt: now } }] satisfies WaitlistEvent[];
      }
      case 'RecordRefusedAdmission': {
        const { offerId, applicationId, childId, status } = findOffer(state, command.data.offerId);
        if (status === 'Refused') return [];
        if (status !== 'Accepted') throw new OfferWasNotAccepted(offerId, status);
        const policy = policies(state.schoolYear ?? schoolYearOf(now));
        const entry = policy.refusedAdmission === 'keeps-position' ? 'kept' : 'ended';
        return [
          {
            type: 'AdmissionRefused',
            data: { offeringId, offerId, applicationId, childId, refusal: command.data.refusal, entry, refusedAt: now },
          },
        ] satisfies WaitlistEvent[];
      }
      case 'RecordApplicantPlaces': {
        const { childId, hasPlace, gaveUpAPlace = false } = command.data;
        // Only the applications whose rank changes; none at all when the waitlist already knows.
        return [...state.entries.values()]
          .filter(
            (entry) => entry.childId === childId && (entry.hasPlace !== hasPlace || (entry.passedOver && gaveUpAPlace)),
          )
          .map(({ applicationId }) => ({
            type: 'ApplicantPlacesChanged',
            data: {
              ...{ offeringId, applicationId, childId, hasPlace, changedAt: now },
              ...(gaveUpAPlace ? { placeGivenUp: true } : {}),
            },
          })) satisfies WaitlistEvent[];
      }
      case 'RemoveMovedOutChild': {
        const reason = 'moved-out-of-municipality' as const;
        // Every application of the child, an offer it holds too (its seat then goes to the next child).
        return [...state.entries.values()]
          .filter((entry) => entry.childId === command.data.childId)
          .map(({ applicationId, childId, offerId }) => ({
            type: 'ApplicationWithdrawn',
            data: { offeringId, applicationId, childId, withdrawnAt: now, offerId, reason },
          })) satisfies WaitlistEvent[];
      }
      default:
        return assertNever(command);
    }
  };

  return {
    initialState: initialWaitlist,
    evolve,
    decide: (command, state) => {
      if (command.type === 'OpenWaitlist') {
        if (state.status === 'Open') throw new WaitlistIsAlreadyOpen(state.offeringId);
        const { offeringId, programme, schoolYear } = command.data;
        if (schoolYear !== undefined) requireSchoolYear(schoolYear);
        // Rule 4: deepening (talent) offerings admit by audition, never from the open queue.
        const admission = programme === 'deepening' ? 'audition' : 'queue';
        const openedAt = command.metadata.now;
        return [
          { type: 'WaitlistOpened', data: { offeringId, admission, openedAt, ...(schoolYear ? { schoolYear } : {}) } },
        ];
      }
      if (state.status !== 'Open') throw new WaitlistIsNotOpen();
      return decideOpen(command, state);
    },
  };
};

export const waitlistDecider = createWaitlistDecider();
