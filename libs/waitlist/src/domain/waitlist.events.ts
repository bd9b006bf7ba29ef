import type { Event } from '#libs/decider';
import type { ApplicationPayer, CarriedApplication, ChildDimensions } from './waitlist.commands.js';

/** Deepening/talent offerings admit by audition (rule 4); all others from the open queue. */
export type Admission = 'queue' | 'audition';

/** The application an event is about. */
interface ApplicationRef {
  offeringId: string;
  applicationId: string;
  childId: string;
}

/** The offer an event is about, and the application it went to. */
interface OfferRef extends ApplicationRef {
  offerId: string;
}

/** Seats changed by `count`; `freeSeats` is the new count. */
interface SeatChange {
  offeringId: string;
  count: number;
  freeSeats: number;
  recordedAt: string;
}

/** `schoolYear`: the offering's (absent before 2026-12, when every waitlist offered at once). */
export type WaitlistOpened = Event<
  'WaitlistOpened',
  { offeringId: string; admission: Admission; openedAt: string; schoolYear?: string }
>;

export type ApplicationSubmitted = Event<
  'ApplicationSubmitted',
  ApplicationRef & {
    appliedAt: string;
    appliedOn: string;
    born: string;
    specialNeeds: boolean;
    hasPlace: boolean;
    dimensions?: ChildDimensions;
    /** The Oslo day a paper application was registered, when later than the day applied (absent before 2026-12). */
    recordedOn?: string;
    /** The child held a place in the offering's subject when it applied (absent when it did not, and before 2026-12). */
    holdsPlaceInSubject?: boolean;
    /** Who pays for a place from this application (absent when no payer was given, and before 2026-12). */
    payer?: ApplicationPayer;
    /** Rollover: the previous school year's entry this one continues (absent otherwise). */
    carriedOverFrom?: CarriedApplication;
  }
>;

/**
 * `offerId` is the pending offer that went with the application, if there was one. `reason` is absent when the family
 * withdrew; 'moved-out-of-municipality' when the population register reported the child moved out (rule 1);
 * 'carried-over' when the rollover moved it to the next school year's offering.
 */
export type ApplicationWithdrawn = Event<
  'ApplicationWithdrawn',
  ApplicationRef & {
    withdrawnAt: string;
    offerId: string | null;
    reason?: 'moved-out-of-municipality' | 'carried-over';
    /** reason 'carried-over': the entry waits on, on the next school year's offering (rollover). */
    carriedOverTo?: CarriedApplication;
  }
>;

export type ApplicationReconfirmed = Event<
  'ApplicationReconfirmed',
  ApplicationRef & { schoolYear: string; reconfirmedAt: string }
>;

export type UnconfirmedApplicationRemoved = Event<
  'UnconfirmedApplicationRemoved',
  ApplicationRef & { schoolYear: string; removedAt: string }
>;

/**
 * `reasons` say why this child got the seat; `silenceMeansAcceptance` is what the family was told silence means,
 * so a later policy change does not change the meaning of an offer already made.
 */
export type PlaceOffered = Event<
  'PlaceOffered',
  OfferRef & {
    offeredAt: string;
    deadline: string;
    basis: Admission;
    reasons: readonly string[];
    silenceMeansAcceptance: boolean;
  }
>;

/** `answer` is 'silence' when the deadline passed without a decline and the policy counts that as acceptance. */
export type OfferAccepted = Event<'OfferAccepted', OfferRef & { acceptedAt: string; answer: 'reply' | 'silence' }>;

export type OfferDeclined = Event<'OfferDeclined', OfferRef & { declinedAt: string }>;

export type OfferLapsed = Event<'OfferLapsed', OfferRef & { lapsedAt: string }>;

/** History only (before 2026-12, when the waitlist counted seats itself): the offering now holds every seat. */
export type SeatsFreed = Event<'SeatsFreed', SeatChange>;

/** History only, as SeatsFreed. */
export type SeatsTaken = Event<'SeatsTaken', SeatChange>;

/** Rule 12: the coming school year's seats are now offered in queue order, and from then on as they come free. */
export type MainAdmissionRun = Event<'MainAdmissionRun', { offeringId: string; schoolYear: string; runAt: string }>;

/**
 * Enrolment refused the place an accepted offer was for (the child holds the most places allowed, the offering
 * closed, …): the seat goes to the next child, and the child's entry keeps its position or ends, as the policy says.
 */
export type AdmissionRefused = Event<
  'AdmissionRefused',
  OfferRef & { refusal: { code: string; message: string }; entry: 'kept' | 'ended'; refusedAt: string }
>;

/** The child got a first place or gave up the last one: the application's rank follows (rule 3). */
export type ApplicantPlacesChanged = Event<
  'ApplicantPlacesChanged',
  /** `placeGivenUp`: the child gave a place up; a child passed over after a refused admission is offered seats again. */
  ApplicationRef & { hasPlace: boolean; changedAt: string; placeGivenUp?: boolean }
>;

export type WaitlistEvent =
  | WaitlistOpened
  | ApplicationSubmitted
  | ApplicationWithdrawn
  | ApplicationReconfirmed
  | UnconfirmedApplicationRemoved
  | PlaceOffered
  | OfferAccepted
  | OfferDeclined
  | OfferLapsed
  | SeatsFreed
  | SeatsTaken
  | MainAdmissionRun
  | AdmissionRefused
  | ApplicantPlacesChanged;
