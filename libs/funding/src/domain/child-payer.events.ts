import type { Event } from '#libs/decider';

/** Enrolment events carry no payer: a caseworker registers who pays for a child, and fees follow the child's places. */
export type ChildPayerRegistered = Event<
  'ChildPayerRegistered',
  {
    /** Pseudonymous student id, as in the enrolment events. */
    childId: string;
    /** Pseudonymous id of the paying household (the payer's personal-data subject). */
    payerId: string;
    /** The payer this one takes over from, so both households can be reassessed; null for the first. */
    previousPayerId: string | null;
    registeredBy: string;
    registeredAt: string;
  }
>;

export type ChildPayerEvent = ChildPayerRegistered;
