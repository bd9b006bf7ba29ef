import type { Event } from '#libs/decider';
import type { OfferingDetails, Programme, StudentDimensions, SubjectGroup } from './offering.commands.js';

export type OfferingOpened = Event<
  'OfferingOpened',
  OfferingDetails & { offeringId: string; capacity: number; openedAt: string }
>;
export type CapacityChanged = Event<
  'CapacityChanged',
  { offeringId: string; previousCapacity: number; capacity: number; changedAt: string }
>;
export type OfferingClosed = Event<'OfferingClosed', { offeringId: string; closedAt: string }>;
export type PlaceEnrolled = Event<
  'PlaceEnrolled',
  StudentDimensions & {
    offeringId: string;
    placeId: string;
    subjectGroup: SubjectGroup;
    programme: Programme;
    enrolledAt: string;
    viaOfferId: string | null;
    transferredFrom: { offeringId: string; placeId: string } | null;
  }
>;
export type PlaceTransferredOut = Event<
  'PlaceTransferredOut',
  {
    offeringId: string;
    placeId: string;
    studentId: string;
    toOfferingId: string;
    toPlaceId: string;
    effectiveOn: string;
    transferredAt: string;
  }
>;
export type PlacePutOnLeave = Event<
  'PlacePutOnLeave',
  { offeringId: string; placeId: string; studentId: string; from: string; until: string | null; recordedAt: string }
>;
export type PlaceReturnedFromLeave = Event<
  'PlaceReturnedFromLeave',
  { offeringId: string; placeId: string; studentId: string; returnedAt: string }
>;
/**
 * Funding reads `afterDeadline`: the semester the place ends in is owed as usual, and `nextSemester` is owed too
 * when notice came after its withdrawal deadline (rule 7).
 */
export type PlaceWithdrawn = Event<
  'PlaceWithdrawn',
  {
    offeringId: string;
    placeId: string;
    studentId: string;
    effectiveOn: string;
    noticeOn: string;
    nextSemester: { schoolYear: string; term: 'autumn' | 'spring' };
    deadline: string;
    afterDeadline: boolean;
  }
>;
/** Seats the waitlist may offer: a place left, or capacity was raised. Not emitted once the offering is closed. */
export type SeatsReleased = Event<
  'SeatsReleased',
  {
    offeringId: string;
    count: number;
    freeSeats: number;
    reason: 'withdrawal' | 'transfer' | 'capacity raised';
    releasedAt: string;
  }
>;

/** Funding refunds part of the fee from the third lesson the school cancelled (rule 11). */
export type LessonsCancelledBySchool = Event<
  'LessonsCancelledBySchool',
  { offeringId: string; schoolYear: string; term: 'autumn' | 'spring'; cancelledLessons: number; recordedAt: string }
>;

export type OfferingEvent =
  | OfferingOpened
  | CapacityChanged
  | OfferingClosed
  | PlaceEnrolled
  | PlaceTransferredOut
  | PlacePutOnLeave
  | PlaceReturnedFromLeave
  | PlaceWithdrawn
  | SeatsReleased
  | LessonsCancelledBySchool;
