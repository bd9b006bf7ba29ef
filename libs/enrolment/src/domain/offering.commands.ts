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
  /** The fee per semester as it opened, in øre (NOK 2,052.50 is 205250): integers add up exactly. */
  readonly feePerSemesterOre: number;
  readonly schoolYear: string;
}

/** What statistics need about a student, and nothing that identifies one. */
export interface StudentDimensions {
  readonly studentId: string;
  readonly birthYear: number;
  readonly gender: Gender;
  readonly district: District;
  readonly school: string;
  /** GSI A11/A12: the student lives in another municipality (absent: in this one). No place of residence is kept. */
  readonly fromOtherMunicipality?: boolean;
}

/** `continuesOfferingId`: the previous school year's offering this one continues (rollover); its places move here. */
export type OpenOffering = Command<
  'OpenOffering',
  OfferingDetails & {
    offeringId: string;
    capacity: number;
    continuesOfferingId?: string;
    continuingPlaceIds?: string[];
  }
>;
export type ChangeCapacity = Command<'ChangeCapacity', { capacity: number }>;
export type CloseOffering = Command<'CloseOffering', Record<string, never>>;
/** A new price from a semester's first day (1 January or 1 August), with the reason the admin gives. */
export type ChangeFee = Command<'ChangeFee', { feePerSemesterOre: number; effectiveFrom: string; reason: string }>;
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
    /** Rollover: the previous school year's place this one continues (in the offering this one continues). */
    continuesFrom?: { offeringId: string; placeId: string };
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

/** Rule 6: asks every place held (and not yet asked) to continue or quit by `deadline` (YYYY-MM-DD). */
export type RequestReregistration = Command<'RequestReregistration', { deadline: string }>;
/** Reminds the places asked that have not answered yet. */
export type RemindReregistration = Command<'RemindReregistration', Record<string, never>>;
/** The family's answer: continue next school year, or quit at this one's end. */
export type Reregister = Command<'Reregister', { placeId: string; continues: boolean }>;
/** After the deadline: the places asked that never answered continue or quit, as the policy says. */
export type ApplyReregistrationSilence = Command<'ApplyReregistrationSilence', { silence: 'continue' | 'quit' }>;
/** Rollover: the place ends at its school year's end and goes on as `toPlaceId` in the next year's `toOfferingId`. */
export type ContinuePlace = Command<'ContinuePlace', { placeId: string; toOfferingId: string; toPlaceId: string }>;

export type OfferingCommand =
  | OpenOffering
  | ChangeCapacity
  | CloseOffering
  | ChangeFee
  | Enrol
  | Transfer
  | PutOnLeave
  | ReturnFromLeave
  | Withdraw
  | ReserveSeat
  | ReleaseReservation
  | ReleaseEndedSeats
  | RecordCancelledLessons
  | RequestReregistration
  | RemindReregistration
  | Reregister
  | ApplyReregistrationSilence
  | ContinuePlace;
