import type { Event } from '#libs/decider';
import type { District } from '#libs/municipality';

export type StudentPlaceTaken = Event<
  'StudentPlaceTaken',
  { studentId: string; birthYear: number; placeId: string; offeringId: string; takenAt: string }
>;
export type StudentPlaceMoved = Event<
  'StudentPlaceMoved',
  { studentId: string; fromPlaceId: string; placeId: string; offeringId: string; movedAt: string }
>;
export type StudentPlaceGivenUp = Event<
  'StudentPlaceGivenUp',
  { studentId: string; placeId: string; offeringId: string; givenUpAt: string }
>;
export type StudentDistrictChanged = Event<
  'StudentDistrictChanged',
  { studentId: string; previousDistrict: District | null; district: District; effectiveOn: string; changedAt: string }
>;
export type StudentEvent = StudentPlaceTaken | StudentPlaceMoved | StudentPlaceGivenUp | StudentDistrictChanged;
