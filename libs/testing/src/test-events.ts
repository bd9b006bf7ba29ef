import { randomUUID } from 'node:crypto';
import type { Actor, EventMetadata, NewEvent, RecordedEvent } from '#libs/event-store';

export interface TestEventOptions {
  /** Defaults to the Unix epoch: most tests do not read it. */
  occurredAt?: string;
  /** Defaults to a system actor. */
  actor?: Actor;
  eventId?: string;
}

/** The metadata of an event a test appends itself (fresh correlation and causation ids). */
export const testMetadata = (tenant: string, options: TestEventOptions = {}): EventMetadata => ({
  tenant,
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: options.actor ?? { id: 'test', role: 'system' },
  occurredAt: options.occurredAt ?? new Date(0).toISOString(),
});

/** An event as a test appends it straight to the store, with a fresh event id unless given one. */
export const testEvent = (tenant: string, type: string, data: unknown, options: TestEventOptions = {}): NewEvent => ({
  eventId: options.eventId ?? randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: testMetadata(tenant, options),
});

/**
 * A stored event as a projection's unit test hands it to `handle`: fixed ids and times, a caseworker's metadata in
 * tenant `trondheim`, at `position`.
 */
export const recordedTestEvent = (
  streamName: string,
  type: string,
  data: Record<string, unknown>,
  position = 7n,
): RecordedEvent => ({
  eventId: '00000000-0000-4000-8000-000000000001',
  type,
  schemaVersion: 1,
  data,
  metadata: {
    tenant: 'trondheim',
    correlationId: 'c',
    causationId: 'c',
    actor: { id: 'caseworker-1', role: 'caseworker' },
    occurredAt: '2025-08-20T08:00:00.000Z',
  },
  streamName,
  streamRevision: 0,
  position,
  recordedAt: new Date('2025-08-20T08:00:00.000Z'),
});

/**
 * The data of an `OfferingOpened` the specs and samples share: piano at Ranheim in the core programme, with `overrides`
 * for what a test reads (ids, capacity, the time it opened).
 */
export const sampleOfferingOpened = <Overrides extends object>(overrides: Overrides) => ({
  offeringId: 'piano-1',
  subject: 'Piano',
  subjectGroup: 'music' as const,
  programme: 'core' as const,
  location: 'Ranheim',
  district: 'Østbyen' as const,
  form: 'individual' as const,
  feePerSemesterNok: 2105,
  schoolYear: '2025-2026',
  capacity: 12,
  openedAt: '2025-08-20T08:00:00.000Z',
  ...overrides,
});
