import { randomUUID } from 'node:crypto';
import type { Actor, EventMetadata, NewEvent } from '#libs/event-store';

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
