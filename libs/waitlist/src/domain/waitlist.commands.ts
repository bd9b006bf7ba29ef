import type { Command } from '#libs/decider';

export type Programme = 'breadth' | 'core' | 'deepening';

/** `schoolYear` is the offering's: seats of a coming school year wait for its main admission (rule 12). */
export type OpenWaitlist = Command<'OpenWaitlist', { offeringId: string; programme: Programme; schoolYear?: string }>;

/** Age is given as a birth date or as year and month; only year and month are kept. */
export type BirthInput = { birthDate: string } | { birthYear: number; birthMonth: number };

/** Non-identifying facts statistics count by; names and numbers stay in the personal-data vault. */
export interface ChildDimensions {
  readonly gender: 'female' | 'male' | 'unknown';
  readonly district: string;
  readonly school: string | null;
  /** The child lives in another municipality (GSI A11/A12); absent: in this one. */
  readonly fromOtherMunicipality?: boolean;
}

/**
 * The payer of a place from the application, by pseudonymous id: the guardian who applied ('applicant') unless the
 * application named another payer ('named'). Funding registers it when the application becomes a place.
 */
export interface ApplicationPayer {
  readonly payerId: string;
  readonly source: 'applicant' | 'named';
}

export type SubmitApplication = Command<
  'SubmitApplication',
  {
    dimensions?: ChildDimensions;
    applicationId: string;
    childId: string;
    /** When the family applied; a case worker may register a paper application later than that. */
    appliedAt: string;
    specialNeeds: boolean;
    hasPlace: boolean;
    /** The child holds a place in the offering's subject: it applies to keep it (Lindesnes' first criterion). */
    holdsPlaceInSubject?: boolean;
    /** Who pays for a place the application becomes; absent when the guardian gave no national id. */
    payer?: ApplicationPayer;
    /** Rollover: the previous school year's entry this one continues (its date, needs and confirmations kept). */
    carriedOverFrom?: CarriedApplication & { confirmedFor: readonly string[] };
  } & BirthInput
>;

/** An application on another offering's waitlist: where a carried-over entry came from or went. */
export interface CarriedApplication {
  readonly offeringId: string;
  readonly applicationId: string;
}

/** `carriedOverTo`: the entry goes on waiting on the next school year's offering (rollover), not withdrawn by anyone. */
export type WithdrawApplication = Command<
  'WithdrawApplication',
  { applicationId: string; carriedOverTo?: CarriedApplication }
>;
export type Reconfirm = Command<'Reconfirm', { applicationId: string; schoolYear: string }>;
/** Sent by a process manager once the reconfirmation deadline for the school year has passed. */
export type RemoveUnconfirmed = Command<'RemoveUnconfirmed', { schoolYear: string }>;
/** Offers a free seat to the next child in the queue. */
export type OfferSeat = Command<'OfferSeat', { offerId: string }>;
/** Audition offerings: the jury's choice gets the seat instead of the queue head. */
export type OfferSeatAfterAudition = Command<'OfferSeatAfterAudition', { offerId: string; applicationId: string }>;
export type AcceptOffer = Command<'AcceptOffer', { offerId: string }>;
export type DeclineOffer = Command<'DeclineOffer', { offerId: string }>;
/** Sent by a process manager at or after the deadline. */
export type ExpireOffer = Command<'ExpireOffer', { offerId: string }>;
/** Rule 12: offers the coming school year's free seats in queue order; once per waitlist. */
export type RunMainAdmission = Command<'RunMainAdmission', Record<string, never>>;
/** Sent by admission when enrolment refused the place an accepted offer was for. */
export type RecordRefusedAdmission = Command<
  'RecordRefusedAdmission',
  { offerId: string; refusal: { code: string; message: string } }
>;
/**
 * Sent by a process manager when a child gets a first place or gives up the last one, so the queue keeps "no place
 * yet" ahead of "a second place" (rule 3) for the child's applications already waiting.
 */
export type RecordApplicantPlaces = Command<
  'RecordApplicantPlaces',
  /** `gaveUpAPlace`: the change is a place given up, which may let a child passed over take a seat again. */
  { childId: string; hasPlace: boolean; gaveUpAPlace?: boolean }
>;

/** Sent by a process manager: the child moved out of the municipality, so its applications end (rule 1). */
export type RemoveMovedOutChild = Command<'RemoveMovedOutChild', { childId: string }>;

export type WaitlistCommand =
  | OpenWaitlist
  | SubmitApplication
  | WithdrawApplication
  | Reconfirm
  | RemoveUnconfirmed
  | OfferSeat
  | OfferSeatAfterAudition
  | AcceptOffer
  | DeclineOffer
  | ExpireOffer
  | RunMainAdmission
  | RecordRefusedAdmission
  | RecordApplicantPlaces
  | RemoveMovedOutChild;
