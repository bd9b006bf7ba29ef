import { createHash, randomUUID } from 'node:crypto';
import { v7 as timeOrderedUuid } from 'uuid';
import type { EventMetadata } from '#libs/event-store';
import type { Principal } from '../auth/principal.js';
import { currentTraceContext } from '../observability/trace-context.js';

/** What a command brings besides its data: who, when, why, and the id its events are derived from. */
export interface CommandContext {
  principal: Principal;
  /** Stable across retries of the same request (derived from its Idempotency-Key when given). */
  commandId: string;
  correlationId: string;
  now: Date;
  reason?: string;
  /** The command brought its own time (a school's past, imported): `now` is when it happened, not when it arrived. */
  imported?: boolean;
}

/** A new command's id: time-ordered (UUIDv7), and so are the event ids derived from it (eventIdFor). */
export const newCommandId = (): string => timeOrderedUuid();

export const newCommandContext = (
  principal: Principal,
  options: { idempotencyKey?: string; correlationId?: string; now: Date; reason?: string; imported?: boolean },
): CommandContext => ({
  principal,
  // A key that is a UUIDv7 (the dashboard's) lends the id its time, so a keyed command's events sort by time too.
  commandId: options.idempotencyKey
    ? deterministicUuid(
        `${principal.tenant}:${options.idempotencyKey}`,
        TIME_ORDERED.test(options.idempotencyKey) ? options.idempotencyKey : undefined,
      )
    : newCommandId(),
  correlationId: options.correlationId ?? randomUUID(),
  now: options.now,
  reason: options.reason,
  ...(options.imported ? { imported: true } : {}),
});

/**
 * Event ids derived from the command id: a retried command yields the same ids, and the store makes it a no-op.
 * They keep the command id's first 48 bits (a UUIDv7's milliseconds), so a new command's events sort by time and
 * es_events' unique index on event ids grows at its right edge instead of at a random page (docs/adr/0026).
 */
export const eventIdFor = (commandId: string, streamName: string, index: number): string =>
  deterministicUuid(`${commandId}:${streamName}:${index}`, UUID.test(commandId) ? commandId : undefined);

/** One step of a command that writes several streams: its own command id, so its own event ids, the same on a retry. */
export const stepOf = (context: CommandContext, name: string): CommandContext => ({
  ...context,
  commandId: eventIdFor(context.commandId, name, 0),
});

export const metadataFor = (context: CommandContext): EventMetadata => ({
  tenant: context.principal.tenant,
  correlationId: context.correlationId,
  causationId: context.commandId,
  actor: { id: context.principal.subject, role: context.principal.role },
  occurredAt: context.now.toISOString(),
  ...(context.reason ? { reason: context.reason } : {}),
  ...(context.imported ? { imported: true } : {}),
  // The trace the command runs in (nothing when tracing is off), for what the event causes later (ADR 0012 note).
  ...currentTraceContext(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_ORDERED = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID (version 8 layout) from SHA-256, so ids need no storage to be repeatable; `prefixOf`, a UUID,
 * lends it its first 48 bits (the milliseconds of a UUIDv7).
 */
const deterministicUuid = (name: string, prefixOf?: string): string => {
  const hex = createHash('sha256').update(name).digest('hex');
  const head = prefixOf
    ? `${prefixOf.slice(0, 8)}-${prefixOf.slice(9, 13)}`.toLowerCase()
    : `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${head}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A context's command as an HTTP handler or process manager builds it: everything but the time. */
export type WithoutMetadata<C> = C extends { metadata: unknown } ? Omit<C, 'metadata'> : never;

/** Stamps a command with the request's time, once, as the deciders read it (an ISO instant). */
export const atCommandTime = <C>(command: C, context: CommandContext): C & { metadata: { now: string } } => ({
  ...command,
  metadata: { now: context.now.toISOString() },
});
