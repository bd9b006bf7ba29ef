import type { Command } from '#libs/decider';

/** The GSI subject groups that statistics report by. */
export type SubjectGroup = 'music' | 'visual-arts' | 'theatre' | 'dance' | 'sami' | 'other';
export type Programme = 'breadth' | 'core' | 'deepening';
export type { District } from '#libs/municipality';
import type { District } from '#libs/municipality';
import type { ReservationReleaseReason } from './offering.events.js';
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
    /** A transfer's effective day: the new place counts from then, not from when it was recorded. */
    startsOn?: string;
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

/** Sets a seat aside for an offer (idempotent per offer id); refused when no seat is free. */
export type ReserveSeat = Command<'ReserveSeat', { offerId: string }>;
/** Frees the seat of an offer that did not become a place; nothing happens when it is not reserved. */
export type ReleaseReservation = Command<'ReleaseReservation', { offerId: string; reason: ReservationReleaseReason }>;
/** Frees the seats of places whose last day has passed (sent by admission's daily tick). */
export type ReleaseEndedSeats = Command<'ReleaseEndedSeats', Record<string, never>>;

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
  | ReserveSeat
  | ReleaseReservation
  | ReleaseEndedSeats
  | RecordCancelledLessons;
