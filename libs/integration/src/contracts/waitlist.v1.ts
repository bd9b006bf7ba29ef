// Public contract of topic kulturskole.waitlist.v1: waitlist joined/left, offers made/answered, admissions refused.

export interface WaitlistJoinedV1 {
  applicationId: string;
  offeringId: string;
  childRef: string;
  birthYear: number;
  hasPlace: boolean;
  joinedAt: string;
}

export interface WaitlistLeftV1 {
  applicationId: string;
  offeringId: string;
  childRef: string;
  reason: 'withdrawn' | 'not-reconfirmed';
  leftAt: string;
}

export interface OfferMadeV1 {
  offerId: string;
  applicationId: string;
  offeringId: string;
  childRef: string;
  offeredAt: string;
  deadline: string;
  basis: 'queue' | 'audition';
  silenceMeansAcceptance: boolean;
}

export interface OfferAnsweredV1 {
  offerId: string;
  applicationId: string;
  offeringId: string;
  childRef: string;
  answer: 'accepted' | 'declined' | 'lapsed';
  bySilence: boolean;
  answeredAt: string;
}

export interface AdmissionRefusedV1 {
  offerId: string;
  applicationId: string;
  offeringId: string;
  childRef: string;
  /** Enrolment's refusal code (e.g. StudentHoldsTooManyPlaces); its message is internal text and not published. */
  reason: string;
  /** Whether the child's waitlist entry keeps its position or ended. */
  entry: 'kept' | 'ended';
  refusedAt: string;
}
