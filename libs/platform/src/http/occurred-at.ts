import { ForbiddenException } from '@nestjs/common';
import { DomainError } from '#libs/decider';
import type { Principal } from '../auth/principal.js';

/** The header a history import sends: when the fact happened in the school's own records (ADR 0014). */
export const OCCURRED_AT_HEADER = 'x-occurred-at';

// An instant with its offset, so a date from the old system is never read in the server's time zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

export class OccurredAtIsInvalid extends DomainError {
  readonly kind = 'invalid';
  readonly field = 'X-Occurred-At';
  constructor(detail: string) {
    super(`X-Occurred-At ${detail}`);
  }
}

/**
 * The time a command is decided at: the request's arrival, or, for an admin importing a school's past, the instant
 * the fact happened (never in the future, never before 2000). The store still stamps when it was recorded.
 */
export const occurredAtOf = (
  header: string | string[] | undefined,
  principal: Principal,
  receivedAt: Date,
): { now: Date; imported: boolean } => {
  if (header === undefined) return { now: receivedAt, imported: false };
  if (principal.role !== 'admin') throw new ForbiddenException('Only an admin may record a fact with its own time');
  if (typeof header !== 'string' || !INSTANT.test(header) || Number.isNaN(Date.parse(header)))
    throw new OccurredAtIsInvalid('must be one ISO-8601 instant with its offset, like 2025-08-20T09:00:00+02:00');
  const at = Date.parse(header);
  if (at > receivedAt.getTime()) throw new OccurredAtIsInvalid('is in the future');
  if (at < EARLIEST) throw new OccurredAtIsInvalid('is before 2000');
  return { now: new Date(at), imported: true };
};
