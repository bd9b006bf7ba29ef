import type { Event } from '#libs/decider';
import type { OfferingDetails, Programme, StudentDimensions, SubjectGroup } from './offering.commands.js';

export type OfferingOpened = Event<
  'OfferingOpened',
  Omit<OfferingDetails, 'feePerSemesterOre'> & {
    offeringId: string;
    capacity: number;
    openedAt: string;
    /** The fee in øre; absent on events recorded before 2026-12, which carry `feePerSemesterNok` (see openingFeeOre). */
    feePerSemesterOre?: number;
    /** Whole kroner: the only fee on events recorded before 2026-12. */
    feePerSemesterNok?: number;
    /** Rollover: the previous school year's offering this one continues (absent otherwise). */
    continuesOfferingId?: string;
    /** Rollover: the places that continue here, each seat promised to its student before any child is offered one. */
    continuingPlaceIds?: string[];
  }
>;
/** The offering's price list: from `effectiveFrom` (a semester's first day) each semester costs `feePerSemesterOre`. */
export type OfferingFeeChanged = Event<
  'OfferingFeeChanged',
  {
    offeringId: string;
    feePerSemesterOre: number;
    /** The fee that was in force on `effectiveFrom` before this change. */
    previousFeePerSemesterOre: number;
    effectiveFrom: string;
    reason: string;
    changedAt: string;
  }
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
    /** The first day the place counts (a transfer's effective day, or the school year's start); absent before 2026-12. */
    startsOn?: string;
    viaOfferId: string | null;
    transferredFrom: { offeringId: string; placeId: string } | null;
    /** Rollover: the previous school year's place this one continues (absent otherwise). */
    continuesFrom?: { offeringId: string; placeId: string };
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
    /** The place's last day when it lies ahead: its seat stays held until then (absent before 2026-12: freed at once). */
    seatHeldThrough?: string | null;
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
 * Fees (rule 7, see withdrawalNotice): the place owes its semesters up to `lastSemesterOwed`. `afterDeadline` says
 * `nextSemester`, the one after the semester `effectiveOn` falls in, is owed (notice came after `deadline`); the
 * semester `effectiveOn` falls in is not always owed (a last day of 1–10 August with notice by 10 August).
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
    /** Absent on events recorded before it was added: funding then reads the fields above by the same rule. */
    lastSemesterOwed?: { schoolYear: string; term: 'autumn' | 'spring' };
    /** The place's last day when it lies ahead: its seat stays held until then (absent before 2026-12: freed at once). */
    seatHeldThrough?: string | null;
  }
>;
/**
 * Seats the waitlist may offer: a place's last day has passed (`placeIds`), or capacity was raised. `freeSeats` is
 * what is left once seats held and seats under offer are counted.
 */
export type SeatsReleased = Event<
  'SeatsReleased',
  {
    offeringId: string;
    count: number;
    freeSeats: number;
    reason: 'withdrawal' | 'transfer' | 'capacity raised' | 'continuation';
    releasedAt: string;
    placeIds?: readonly string[];
  }
>;

/**
 * A seat set aside for an offer the waitlist is making: no direct enrolment, capacity cut or other offer can take
 * it until the offer becomes a place (PlaceEnrolled with `viaOfferId`) or the reservation is released.
 */
export type SeatReserved = Event<
  'SeatReserved',
  { offeringId: string; offerId: string; freeSeats: number; reservedAt: string }
>;

export type ReservationReleaseReason =
  'offer declined' | 'offer lapsed' | 'application withdrawn' | 'admission refused' | 'nobody to offer';

/** The offer ended without a place: its seat is free for the next child. */
export type SeatReservationReleased = Event<
  'SeatReservationReleased',
  { offeringId: string; offerId: string; reason: ReservationReleaseReason; freeSeats: number; releasedAt: string }
>;

/** Funding refunds part of the fee from the third lesson the school cancelled (rule 11). */
export type LessonsCancelledBySchool = Event<
  'LessonsCancelledBySchool',
  { offeringId: string; schoolYear: string; term: 'autumn' | 'spring'; cancelledLessons: number; recordedAt: string }
>;

/** The place an event of the yearly re-registration (rule 6) is about; `schoolYear` is the offering's. */
interface ReregistrationOf {
  offeringId: string;
  placeId: string;
  studentId: string;
  schoolYear: string;
}

/** Rule 6: the student is asked to continue next school year or quit, by `deadline` (YYYY-MM-DD). */
export type PlaceReregistrationRequested = Event<
  'PlaceReregistrationRequested',
  ReregistrationOf & { deadline: string; requestedAt: string }
>;
export type PlaceReregistrationReminded = Event<
  'PlaceReregistrationReminded',
  ReregistrationOf & { deadline: string; remindedAt: string }
>;
/** The place continues next school year; `answer` is 'silence' when the deadline passed and the policy continues it. */
export type PlaceReregistered = Event<
  'PlaceReregistered',
  ReregistrationOf & { answer: 'reply' | 'silence'; answeredAt: string }
>;
/** The place ends on `lastDay`, its school year's last; a PlaceWithdrawn with that day follows (rule 7's fees). */
export type PlaceQuitAtYearEnd = Event<
  'PlaceQuitAtYearEnd',
  ReregistrationOf & { lastDay: string; answer: 'reply' | 'silence'; answeredAt: string }
>;
/**
 * Rollover: the place ends on `lastDay` (31 July) and goes on from the next day as `toPlaceId` in the next school
 * year's `toOfferingId`. Its seat here stays held through `lastDay`.
 */
export type PlaceContinued = Event<
  'PlaceContinued',
  {
    offeringId: string;
    placeId: string;
    studentId: string;
    toOfferingId: string;
    toPlaceId: string;
    lastDay: string;
    continuedAt: string;
    seatHeldThrough: string | null;
  }
>;

export type OfferingEvent =
  | OfferingOpened
  | CapacityChanged
  | OfferingClosed
  | OfferingFeeChanged
  | PlaceEnrolled
  | PlaceTransferredOut
  | PlacePutOnLeave
  | PlaceReturnedFromLeave
  | PlaceWithdrawn
  | SeatsReleased
  | SeatReserved
  | SeatReservationReleased
  | LessonsCancelledBySchool
  | PlaceReregistrationRequested
  | PlaceReregistrationReminded
  | PlaceReregistered
  | PlaceQuitAtYearEnd
  | PlaceContinued;
