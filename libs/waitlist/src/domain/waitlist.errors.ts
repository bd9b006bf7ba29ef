import { refusal } from '#libs/decider';

export class WaitlistIsNotOpen extends refusal('not_found', () => 'This offering has no waitlist yet') {}

export class WaitlistIsAlreadyOpen extends refusal(
  'conflict',
  (offeringId: string) => `The waitlist of offering ${offeringId} is already open`,
) {}

export class ApplicationIsInvalid extends refusal('invalid', (message: string) => message) {}

export class SchoolYearIsInvalid extends refusal(
  'invalid',
  (schoolYear: string) => `"${schoolYear}" is not a school year like 2025-2026`,
) {}

export class OneApplicationPerChild extends refusal(
  'conflict',
  (childId: string) => `Child ${childId} already has an application for this offering`,
) {}

export class ApplicationAlreadyExists extends refusal(
  'conflict',
  (applicationId: string) => `Application ${applicationId} already exists`,
) {}

export class ApplicationNotFound extends refusal(
  'not_found',
  (applicationId: string) => `No application ${applicationId} is waiting for this offering`,
) {}

export class ReconfirmationDeadlineHasPassed extends refusal(
  'conflict',
  (schoolYear: string, deadline: string) => `Reconfirmation for ${schoolYear} closed on ${deadline}`,
) {}

export class ReconfirmationDeadlineHasNotPassed extends refusal(
  'conflict',
  (schoolYear: string, deadline: string) =>
    `Unconfirmed applications for ${schoolYear} can be removed only after ${deadline}`,
) {}

export class SchoolYearHasEnded extends refusal(
  'conflict',
  (schoolYear: string) => `The school year ${schoolYear} has ended: its seats are offered no more`,
) {}

export class OfferingAdmitsByAudition extends refusal(
  'conflict',
  (offeringId: string) => `Offering ${offeringId} admits by audition, not from the open queue`,
) {}

export class OfferingAdmitsFromTheQueue extends refusal(
  'conflict',
  (offeringId: string) => `Offering ${offeringId} admits from the open queue, not by audition`,
) {}

export class NobodyIsWaiting extends refusal('conflict', () => 'Nobody is waiting for a seat in this offering') {}

export class ChildAlreadyHoldsAnOffer extends refusal(
  'conflict',
  (childId: string) => `Child ${childId} already holds an offer for this offering`,
) {}

export class OfferAlreadyExists extends refusal('conflict', (offerId: string) => `Offer ${offerId} already exists`) {}

export class OfferNotFound extends refusal('not_found', (offerId: string) => `No offer ${offerId} for this offering`) {}

export class OfferHasExpired extends refusal(
  'conflict',
  (offerId: string, deadline: string) => `Offer ${offerId} expired at ${deadline}`,
) {}

export class OfferIsNoLongerOpen extends refusal(
  'conflict',
  (offerId: string, status: string) => `Offer ${offerId} is already ${status.toLowerCase()}`,
) {}

export class OfferDeadlineHasNotPassed extends refusal(
  'conflict',
  (offerId: string, deadline: string) => `Offer ${offerId} runs until ${deadline}`,
) {}

export class MainAdmissionHasNotRun extends refusal(
  'conflict',
  (schoolYear: string, day: string) =>
    `Seats for ${schoolYear} are offered in queue order at the main admission on ${day}`,
) {}

export class NoMainAdmission extends refusal('conflict', (schoolYear: string | undefined) =>
  schoolYear
    ? `${schoolYear} has begun: its seats are offered as they come free, there is no main admission to run`
    : 'This waitlist offers seats as they come free: it has no main admission',
) {}

export class OfferWasNotAccepted extends refusal(
  'conflict',
  (offerId: string, status: string) => `Offer ${offerId} is ${status.toLowerCase()}, not accepted`,
) {}
