import { DomainError } from '#libs/decider';
import { knownBy, type RecordedEvent } from '#libs/event-store';

/** A past moment to look at: an instant (events recorded up to and including it) or a position in `$all`. */
export type Until = { kind: 'instant'; instant: Date } | { kind: 'position'; position: bigint };

export class UntilIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(text: string) {
    super(`"${text.slice(0, 40)}" is neither an ISO-8601 instant (2025-10-01T00:00:00Z) nor a position (digits)`);
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const parseUntil = (text: string): Until => {
  if (/^\d{1,19}$/.test(text)) return { kind: 'position', position: BigInt(text) };
  const instant = new Date(text);
  if (!ISO_INSTANT.test(text) || Number.isNaN(instant.getTime())) throw new UntilIsInvalid(text);
  return { kind: 'instant', instant };
};

/** Whether an event was already recorded at that moment. */
export const recordedBy = (
  event: Pick<RecordedEvent, 'recordedAt' | 'position' | 'metadata'>,
  until: Until,
): boolean => (until.kind === 'instant' ? knownBy(event, until.instant) : event.position <= until.position);

export const describeUntil = (until: Until): string =>
  until.kind === 'instant' ? until.instant.toISOString() : `position ${until.position}`;
