import type { Event } from '#libs/decider';
import type { District } from '#libs/municipality';

/** The student's place an event is about. */
interface StudentPlace {
  studentId: string;
  placeId: string;
  offeringId: string;
}

export type StudentPlaceTaken = Event<'StudentPlaceTaken', StudentPlace & { birthYear: number; takenAt: string }>;
export type StudentPlaceMoved = Event<'StudentPlaceMoved', StudentPlace & { fromPlaceId: string; movedAt: string }>;
/** `endedWithItsOffering`: ended by the school with an offering not continued, not given up by the family. */
export type StudentPlaceGivenUp = Event<
  'StudentPlaceGivenUp',
  StudentPlace & { givenUpAt: string; endedWithItsOffering?: true }
>;
export type StudentDistrictChanged = Event<
  'StudentDistrictChanged',
  { studentId: string; previousDistrict: District | null; district: District; effectiveOn: string; changedAt: string }
>;
/**
 * Rule 1: the child moved out of the municipality on `effectiveOn` and is eligible through `eligibleUntil` (the
 * policy's movedOutEligibleUntil): the places it held then end that day (`places`), its waitlist entries are removed.
 */
export type StudentMovedOut = Event<
  'StudentMovedOut',
  {
    studentId: string;
    effectiveOn: string;
    eligibleUntil: string;
    places: { placeId: string; offeringId: string }[];
    recordedAt: string;
  }
>;
export type StudentEvent =
  StudentPlaceTaken | StudentPlaceMoved | StudentPlaceGivenUp | StudentDistrictChanged | StudentMovedOut;
