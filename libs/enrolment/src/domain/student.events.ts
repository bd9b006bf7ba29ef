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
export type StudentPlaceGivenUp = Event<'StudentPlaceGivenUp', StudentPlace & { givenUpAt: string }>;
export type StudentDistrictChanged = Event<
  'StudentDistrictChanged',
  { studentId: string; previousDistrict: District | null; district: District; effectiveOn: string; changedAt: string }
>;
export type StudentEvent = StudentPlaceTaken | StudentPlaceMoved | StudentPlaceGivenUp | StudentDistrictChanged;
