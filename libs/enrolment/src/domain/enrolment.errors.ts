import { DomainError } from '#libs/decider';

export class OfferingIsInvalid extends DomainError {
  readonly kind = 'invalid';
}

export class DateIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field} must be a date like 2025-08-10, not "${value}"`);
  }
}

export class CapacityIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly capacity: number) {
    super(`Capacity must be a positive whole number, not ${capacity}`);
  }
}

export class OfferingNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor() {
    super('No such offering');
  }
}

export class OfferingAlreadyExists extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly offeringId: string) {
    super(`Offering ${offeringId} already exists`);
  }
}

export class OfferingIsClosed extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly offeringId: string) {
    super(`Offering ${offeringId} is closed`);
  }
}

export class OfferingIsFull extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly offeringId: string,
    readonly capacity: number,
  ) {
    super(`Offering ${offeringId} is full: all ${capacity} places are held`);
  }
}

export class CapacityCannotDropBelowPlacesHeld extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly capacity: number,
    readonly placesHeld: number,
  ) {
    super(`Capacity ${capacity} is below the ${placesHeld} places held`);
  }
}

export class PlaceAlreadyExists extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly placeId: string) {
    super(`Place ${placeId} already exists`);
  }
}

export class OnePlacePerStudentPerOffering extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly studentId: string,
    readonly offeringId: string,
  ) {
    super(`Student ${studentId} already holds a place in offering ${offeringId}`);
  }
}

export class PlaceNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly placeId: string) {
    super(`No place ${placeId} is held here`);
  }
}

export class PlaceIsAlreadyOnLeave extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly placeId: string) {
    super(`Place ${placeId} is already on leave`);
  }
}

export class PlaceIsNotOnLeave extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly placeId: string) {
    super(`Place ${placeId} is not on leave`);
  }
}

export class TransferNeedsAnotherOffering extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly offeringId: string) {
    super(`A transfer must go to another offering than ${offeringId}`);
  }
}

export class StudentHoldsTooManyPlaces extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly studentId: string,
    readonly limit: number,
  ) {
    super(`Student ${studentId} already holds ${limit} place(s), the most allowed`);
  }
}

export class StudentIsPastEligibleAge extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly studentId: string,
    readonly birthYear: number,
  ) {
    super(`Student ${studentId}, born ${birthYear}, is past the age for a place this semester`);
  }
}

export class StudentNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor() {
    super('No such student');
  }
}

export class SchoolYearIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly schoolYear: string) {
    super(`"${schoolYear}" is not a school year like 2025-2026`);
  }
}

export class SchoolHasNotJoinedKulturdag extends DomainError {
  readonly kind = 'not_found';
  constructor() {
    super('The school has not joined Kulturdag for this school year');
  }
}

export class SchoolHasAlreadyJoinedKulturdag extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly schoolId: string,
    readonly schoolYear: string,
  ) {
    super(`School ${schoolId} has already joined Kulturdag for ${schoolYear}`);
  }
}

export class PupilIsAlreadyRegistered extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly pupilId: string) {
    super(`Pupil ${pupilId} is already registered for Kulturdag`);
  }
}

export class KulturdagPupilsAreInvalid extends DomainError {
  readonly kind = 'invalid';
}
