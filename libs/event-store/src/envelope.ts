/** Roles a token (and so an event's actor) can carry; `system` is a process manager or the relay. */
export type Role = 'admin' | 'caseworker' | 'auditor' | 'integration' | 'system';

export interface Actor {
  id: string;
  role: Role;
}

/** What every event carries besides its data (DESIGN.md, Event store). */
export interface EventMetadata {
  tenant: string;
  correlationId: string;
  causationId: string;
  actor: Actor;
  /** ISO-8601 instant the fact happened in the domain; comes with the command, never from a clock inside the domain. */
  occurredAt: string;
  /** Why, when the command carried a reason (withdrawals, erasures, overrides). */
  reason?: string;
  /** The fact came from a school's past through the import: `occurredAt` is its real date, `recordedAt` the import's. */
  imported?: boolean;
  /** W3C trace context of the command that appended it, so a projection, a process manager or the relay continues its trace. */
  traceparent?: string;
  tracestate?: string;
}

/** An event as a command handler hands it to the store. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Idempotency key of the append: derive it from the command id so a retried command yields the same ids. */
  eventId: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
}

/** An event as the store gives it back: the envelope plus what the store added. */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  streamName: string;
  /** 0-based revision within its stream. */
  streamRevision: number;
  /** Position in `$all`; strictly increasing in the order subscribers see events. */
  position: bigint;
  recordedAt: Date;
}

/**
 * Whether an event was part of what was known at an instant: recorded by then, or imported from the school's old
 * system with a date by then (that system knew it at the time). As-of builds and audit replays use it (ADR 0014).
 */
export const knownBy = (event: Pick<RecordedEvent, 'recordedAt' | 'metadata'>, instant: Date): boolean =>
  (event.metadata.imported ? Date.parse(event.metadata.occurredAt) : event.recordedAt.getTime()) <= instant.getTime();
