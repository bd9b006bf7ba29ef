import type { Event } from '#libs/decider';
import type { ChildDimensions } from './waitlist.commands.js';

/** Deepening/talent offerings admit by audition (rule 4); all others from the open queue. */
export type Admission = 'queue' | 'audition';

export type WaitlistOpened = Event<'WaitlistOpened', { offeringId: string; admission: Admission; openedAt: string }>;

export type ApplicationSubmitted = Event<
  'ApplicationSubmitted',
  {
    offeringId: string;
    applicationId: string;
    childId: string;
    appliedAt: string;
    appliedOn: string;
    born: string;
    specialNeeds: boolean;
    hasPlace: boolean;
    dimensions?: ChildDimensions;
  }
>;

/** `offerId` is the pending offer that went with the application, if there was one. */
export type ApplicationWithdrawn = Event<
  'ApplicationWithdrawn',
  { offeringId: string; applicationId: string; childId: string; withdrawnAt: string; offerId: string | null }
>;

export type ApplicationReconfirmed = Event<
  'ApplicationReconfirmed',
  { offeringId: string; applicationId: string; childId: string; schoolYear: string; reconfirmedAt: string }
>;

export type UnconfirmedApplicationRemoved = Event<
  'UnconfirmedApplicationRemoved',
  { offeringId: string; applicationId: string; childId: string; schoolYear: string; removedAt: string }
>;

/**
 * `reasons` say why this child got the seat; `silenceMeansAcceptance` is what the family was told silence means,
 * so a later policy change does not change the meaning of an offer already made.
 */
export type PlaceOffered = Event<
  'PlaceOffered',
  {
    offeringId: string;
    offerId: string;
    applicationId: string;
    childId: string;
    offeredAt: string;
    deadline: string;
    basis: Admission;
    reasons: readonly string[];
    silenceMeansAcceptance: boolean;
  }
>;

/** `answer` is 'silence' when the deadline passed without a decline and the policy counts that as acceptance. */
export type OfferAccepted = Event<
  'OfferAccepted',
  {
    offeringId: string;
    offerId: string;
    applicationId: string;
    childId: string;
    acceptedAt: string;
    answer: 'reply' | 'silence';
  }
>;

export type OfferDeclined = Event<
  'OfferDeclined',
  { offeringId: string; offerId: string; applicationId: string; childId: string; declinedAt: string }
>;

export type OfferLapsed = Event<
  'OfferLapsed',
  { offeringId: string; offerId: string; applicationId: string; childId: string; lapsedAt: string }
>;

/** Seats the enrolment context freed (a withdrawal, a transfer out, a raised capacity); `freeSeats` is the new count. */
export type SeatsFreed = Event<
  'SeatsFreed',
  { offeringId: string; count: number; freeSeats: number; recordedAt: string }
>;

/** Seats taken outside the waitlist (a direct enrolment, a lowered capacity). */
export type SeatsTaken = Event<
  'SeatsTaken',
  { offeringId: string; count: number; freeSeats: number; recordedAt: string }
>;

/** The child got a first place or gave up the last one: the application's rank follows (rule 3). */
export type ApplicantPlacesChanged = Event<
  'ApplicantPlacesChanged',
  { offeringId: string; applicationId: string; childId: string; hasPlace: boolean; changedAt: string }
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
  | ApplicantPlacesChanged;
