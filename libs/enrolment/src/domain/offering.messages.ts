import type { Command, Event } from '#libs/decider';

/** The GSI subject groups that statistics report by. */
export type SubjectGroup = 'music' | 'visual-arts' | 'theatre' | 'dance' | 'sami' | 'other';
export type Programme = 'breadth' | 'core' | 'deepening';
export type { District } from '#libs/municipality';
import type { District } from '#libs/municipality';
export type TeachingForm = 'individual' | 'group';
/** Legal gender as registered in the population register; 'unknown' when the student is not in it. */
export type Gender = 'female' | 'male' | 'unknown';

export interface OfferingDetails {
  readonly subject: string;
  readonly subjectGroup: SubjectGroup;
  readonly programme: Programme;
  /** The centre or school where it is taught, e.g. "Ranheim". */
  readonly location: string;
  readonly district: District;
  readonly form: TeachingForm;
  /** Whole kroner: fees are set in kroner, and integers add up exactly. */
  readonly feePerSemesterNok: number;
  readonly schoolYear: string;
}

/** What statistics need about a student, and nothing that identifies one. */
export interface StudentDimensions {
  readonly studentId: string;
  readonly birthYear: number;
  readonly gender: Gender;
  readonly district: District;
  readonly school: string;
}

export type OpenOffering = Command<'OpenOffering', OfferingDetails & { offeringId: string; capacity: number }>;
export type ChangeCapacity = Command<'ChangeCapacity', { capacity: number }>;
export type CloseOffering = Command<'CloseOffering', Record<string, never>>;
/**
 * `viaOfferId`: the waitlist offer this enrolment fulfils (that seat is already counted there);
 * `transferredFrom`: the place given up in another offering when this enrolment is the second half of a transfer.
 */
export type Enrol = Command<
  'Enrol',
  StudentDimensions & {
    placeId: string;
    viaOfferId: string | null;
    transferredFrom: { offeringId: string; placeId: string } | null;
  }
>;
export type Transfer = Command<
  'Transfer',
  { placeId: string; toOfferingId: string; toPlaceId: string; effectiveOn: string }
>;
export type PutOnLeave = Command<'PutOnLeave', { placeId: string; from: string; until: string | null }>;
export type ReturnFromLeave = Command<'ReturnFromLeave', { placeId: string }>;
/** `effectiveOn` is the place's last day (YYYY-MM-DD); the notice date is the command's `now`. */
export type Withdraw = Command<'Withdraw', { placeId: string; effectiveOn: string }>;

/** The lessons the school cancelled in a semester so far (a total, so recording it again changes nothing). */
export type RecordCancelledLessons = Command<
  'RecordCancelledLessons',
  { schoolYear: string; term: 'autumn' | 'spring'; cancelledLessons: number }
>;

export type OfferingCommand =
  | OpenOffering
  | ChangeCapacity
  | CloseOffering
  | Enrol
  | Transfer
  | PutOnLeave
  | ReturnFromLeave
  | Withdraw
  | RecordCancelledLessons;

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
