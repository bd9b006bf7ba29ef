import { refusal } from '#libs/decider';

export class OfferingIsInvalid extends refusal('invalid', (message: string) => message) {}

export class DateIsInvalid extends refusal('invalid', (field: string, value: string) => ({
  message: `${field} must be a date like 2025-08-10, not "${value}"`,
  field,
})) {}

export class CapacityIsInvalid extends refusal(
  'invalid',
  (capacity: number) => `Capacity must be a positive whole number, not ${capacity}`,
) {}

export class OfferingNotFound extends refusal('not_found', () => 'No such offering') {}

export class OfferingAlreadyExists extends refusal(
  'conflict',
  (offeringId: string) => `Offering ${offeringId} already exists`,
) {}

export class OfferingIsClosed extends refusal('conflict', (offeringId: string) => `Offering ${offeringId} is closed`) {}

export class OfferingIsFull extends refusal(
  'conflict',
  (offeringId: string, capacity: number) =>
    `Offering ${offeringId} is full: all ${capacity} seats are held by places or under offer`,
) {}

export class CapacityCannotDropBelowPlacesHeld extends refusal(
  'conflict',
  (capacity: number, seatsTaken: number) =>
    `Capacity ${capacity} is below the ${seatsTaken} seats held by places or under offer`,
) {}

export class ReservationIsSettled extends refusal(
  'conflict',
  (offerId: string, reservation: string) => `The seat of offer ${offerId} is already ${reservation}`,
) {}

export class PlaceAlreadyExists extends refusal('conflict', (placeId: string) => `Place ${placeId} already exists`) {}

export class OnePlacePerStudentPerOffering extends refusal(
  'conflict',
  (studentId: string, offeringId: string) => `Student ${studentId} already holds a place in offering ${offeringId}`,
) {}

export class PlaceNotFound extends refusal('not_found', (placeId: string) => `No place ${placeId} is held here`) {}

export class PlaceIsAlreadyOnLeave extends refusal(
  'conflict',
  (placeId: string) => `Place ${placeId} is already on leave`,
) {}

export class PlaceIsNotOnLeave extends refusal('conflict', (placeId: string) => `Place ${placeId} is not on leave`) {}

export class TransferNeedsAnotherOffering extends refusal(
  'invalid',
  (offeringId: string) => `A transfer must go to another offering than ${offeringId}`,
) {}

export class StudentHoldsTooManyPlaces extends refusal(
  'conflict',
  (studentId: string, limit: number) => `Student ${studentId} already holds ${limit} place(s), the most allowed`,
) {}

export class StudentIsPastEligibleAge extends refusal(
  'conflict',
  (studentId: string, birthYear: number) =>
    `Student ${studentId}, born ${birthYear}, is past the age for a place this semester`,
) {}

export class StudentNotFound extends refusal('not_found', () => 'No such student') {}

export class SchoolYearIsInvalid extends refusal('invalid', (schoolYear: string) => ({
  message: `"${schoolYear}" is not a school year like 2025-2026`,
  field: 'schoolYear',
})) {}

export class SchoolHasNotJoinedKulturdag extends refusal(
  'not_found',
  () => 'The school has not joined Kulturdag for this school year',
) {}

export class SchoolHasAlreadyJoinedKulturdag extends refusal(
  'conflict',
  (schoolId: string, schoolYear: string) => `School ${schoolId} has already joined Kulturdag for ${schoolYear}`,
) {}

export class PupilIsAlreadyRegistered extends refusal(
  'conflict',
  (pupilId: string) => `Pupil ${pupilId} is already registered for Kulturdag`,
) {}

export class KulturdagPupilsAreInvalid extends refusal('invalid', (message: string) => message) {}

export class FeeChangeIsForASemesterUnderWay extends refusal(
  'conflict',
  (effectiveFrom: string, today: string) =>
    `The semester from ${effectiveFrom} has begun (today is ${today}): its fee is billed; change it from a later semester`,
) {}

export class PlaceIsQuittingAtYearEnd extends refusal(
  'conflict',
  (placeId: string) => `Place ${placeId} quits at the end of its school year: it does not continue`,
) {}

export class PlaceDoesNotContinueThisOffering extends refusal(
  'invalid',
  (placeId: string, offeringId: string) => `Place ${placeId} is not in the offering that ${offeringId} continues`,
) {}

export class SchoolYearHasNoOfferings extends refusal(
  'not_found',
  (schoolYear: string) => `School year ${schoolYear} has no offerings to roll over`,
) {}

export class RolloverIsInvalid extends refusal('invalid', (message: string) => message) {}
