import type { Event } from '#libs/decider';
import type { PayerSource } from './child-payer.commands.js';

/**
 * Enrolment events carry no payer: the guardian who applied pays for a place from an application (or the payer the
 * application named), and a caseworker registers or changes who pays for a child; fees follow the child's places.
 */
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
    /** Absent before 2026-12, when only a caseworker registered payers. */
    source?: PayerSource;
    /** The application (and the place it became) a payer from an application came with. */
    applicationId?: string;
    placeId?: string;
  }
>;

export type ChildPayerEvent = ChildPayerRegistered;
