import type { WaitlistEvent } from './waitlist.events.js';

// Shared by the specs: events as they would come back from the store.
export const offeringId = 'offering-guitar-ranheim';

export const opened = (admission: 'queue' | 'audition' = 'queue'): WaitlistEvent => ({
  type: 'WaitlistOpened',
  data: { offeringId, admission, openedAt: '2025-01-02T08:00:00.000Z' },
});

export interface Applicant {
  applicationId: string;
  childId: string;
  /** Noon UTC, so the Oslo day is the same as the UTC day. */
  appliedOn: string;
  born: string;
  hasPlace?: boolean;
  specialNeeds?: boolean;
}

export const submitted = (a: Applicant): WaitlistEvent => ({
  type: 'ApplicationSubmitted',
  data: {
    offeringId,
    applicationId: a.applicationId,
    childId: a.childId,
    appliedAt: `${a.appliedOn}T12:00:00.000Z`,
    appliedOn: a.appliedOn,
    born: a.born,
    specialNeeds: a.specialNeeds ?? false,
    hasPlace: a.hasPlace ?? false,
  },
});

export const seatsFreed = (
  count: number,
  freeSeats: number,
  recordedAt = '2025-08-20T08:00:00.000Z',
): WaitlistEvent => ({
  type: 'SeatsFreed',
  data: { offeringId, count, freeSeats, recordedAt },
});

export const offered = (
  offerId: string,
  a: Applicant,
  offeredAt: string,
  deadline: string,
  reasons: readonly string[],
  options: { basis?: 'queue' | 'audition'; silenceMeansAcceptance?: boolean } = {},
): WaitlistEvent => ({
  type: 'PlaceOffered',
  data: {
    offeringId,
    offerId,
    applicationId: a.applicationId,
    childId: a.childId,
    offeredAt,
    deadline,
    basis: options.basis ?? 'queue',
    reasons,
    silenceMeansAcceptance: options.silenceMeansAcceptance ?? true,
  },
});
