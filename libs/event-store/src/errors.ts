import type { ExpectedRevision } from './event-store.js';

/** The stream was not at the revision the command decided on; nothing was written. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamName} is at revision ${String(actual)}, expected ${String(expected)}`);
  }
}

/** Some, not all, of an append's event ids are already stored: a retried append must repeat the same events. */
export class IdempotencyMismatchError extends Error {
  override readonly name = 'IdempotencyMismatchError';
  constructor(
    readonly streamName: string,
    readonly eventIds: string[],
  ) {
    super(`Stream ${streamName} already holds some but not all of events ${eventIds.join(', ')}`);
  }
}

/** A stream name, event type or envelope field the store refuses; `field` names it for a 400. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** A read-your-writes wait (awaitSettled) gave up: a transaction that began before it is still open. Try again. */
export class StoreNotSettledError extends Error {
  override readonly name = 'StoreNotSettledError';
  constructor(readonly waitedMs: number) {
    super(`Event store: a transaction older than ${waitedMs} ms is still open (see pg_stat_activity)`);
  }
}
