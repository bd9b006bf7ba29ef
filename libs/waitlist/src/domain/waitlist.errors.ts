import { DomainError } from '#libs/decider';

export class WaitlistIsNotOpen extends DomainError {
  readonly kind = 'not_found';
  constructor() {
    super('This offering has no waitlist yet');
  }
}

export class WaitlistIsAlreadyOpen extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly offeringId: string) {
    super(`The waitlist of offering ${offeringId} is already open`);
  }
}

export class ApplicationIsInvalid extends DomainError {
  readonly kind = 'invalid';
}

export class SchoolYearIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly schoolYear: string) {
    super(`"${schoolYear}" is not a school year like 2025-2026`);
  }
}

export class SeatCountIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly count: number) {
    super(`A seat count must be a positive whole number, not ${count}`);
  }
}

export class OneApplicationPerChild extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly childId: string) {
    super(`Child ${childId} already has an application for this offering`);
  }
}

export class ApplicationAlreadyExists extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly applicationId: string) {
    super(`Application ${applicationId} already exists`);
  }
}

export class ApplicationNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly applicationId: string) {
    super(`No application ${applicationId} is waiting for this offering`);
  }
}

export class ReconfirmationDeadlineHasPassed extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly schoolYear: string,
    readonly deadline: string,
  ) {
    super(`Reconfirmation for ${schoolYear} closed on ${deadline}`);
  }
}

export class ReconfirmationDeadlineHasNotPassed extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly schoolYear: string,
    readonly deadline: string,
  ) {
    super(`Unconfirmed applications for ${schoolYear} can be removed only after ${deadline}`);
  }
}

export class OfferingAdmitsByAudition extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly offeringId: string) {
    super(`Offering ${offeringId} admits by audition, not from the open queue`);
  }
}

export class OfferingAdmitsFromTheQueue extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly offeringId: string) {
    super(`Offering ${offeringId} admits from the open queue, not by audition`);
  }
}

/** No seat is offered twice at once: outstanding offers never exceed free seats. */
export class NoFreeSeatToOffer extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly freeSeats: number,
    readonly outstandingOffers: number,
  ) {
    super(`Every free seat (${freeSeats}) already has an outstanding offer (${outstandingOffers})`);
  }
}

export class NobodyIsWaiting extends DomainError {
  readonly kind = 'conflict';
  constructor() {
    super('Nobody is waiting for a seat in this offering');
  }
}

export class ChildAlreadyHoldsAnOffer extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly childId: string) {
    super(`Child ${childId} already holds an offer for this offering`);
  }
}

export class OfferAlreadyExists extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly offerId: string) {
    super(`Offer ${offerId} already exists`);
  }
}

export class OfferNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly offerId: string) {
    super(`No offer ${offerId} for this offering`);
  }
}

export class OfferHasExpired extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly offerId: string,
    readonly deadline: string,
  ) {
    super(`Offer ${offerId} expired at ${deadline}`);
  }
}

export class OfferIsNoLongerOpen extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly offerId: string,
    readonly status: string,
  ) {
    super(`Offer ${offerId} is already ${status.toLowerCase()}`);
  }
}

export class OfferDeadlineHasNotPassed extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly offerId: string,
    readonly deadline: string,
  ) {
    super(`Offer ${offerId} runs until ${deadline}`);
  }
}

/** Seats under offer are promised: seats taken elsewhere may come only from the unoffered ones. */
export class OfferedSeatsCannotBeTaken extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly count: number,
    readonly unofferedSeats: number,
  ) {
    super(`Cannot take ${count} seat(s): only ${unofferedSeats} free seat(s) are not under offer`);
  }
}
