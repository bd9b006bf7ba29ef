import type { NewEvent } from './envelope.js';
import { InvalidEventError } from './errors.js';
import type { ExpectedRevision } from './event-store.js';
import { assertEventType, parseStreamName } from './stream-name.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Keeps one append one bounded transaction; positions leave room for 2^20 events per append. */
export const MAX_EVENTS_PER_APPEND = 10_000;

/** Every adapter refuses the same malformed appends before touching the server, naming the field at fault. */
export const validateAppend = (
  streamName: string,
  events: readonly NewEvent[],
  expectedRevision: ExpectedRevision,
): void => {
  const { tenant } = parseStreamName(streamName);
  if (events.length === 0) throw new InvalidEventError('events', 'an append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidEventError('events', `at most ${MAX_EVENTS_PER_APPEND} events per append`);
  }
  if (typeof expectedRevision === 'number' && (!Number.isSafeInteger(expectedRevision) || expectedRevision < 0)) {
    throw new InvalidEventError('expectedRevision', 'must be no_stream, any or a revision ≥ 0');
  }
  const ids = new Set<string>();
  events.forEach((event, index) => {
    if (!UUID.test(event.eventId)) throw new InvalidEventError(`events[${index}].eventId`, 'must be a UUID');
    if (ids.has(event.eventId.toLowerCase())) {
      throw new InvalidEventError(`events[${index}].eventId`, 'appears twice in one append');
    }
    ids.add(event.eventId.toLowerCase());
    assertEventType(event.type);
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidEventError(`events[${index}].schemaVersion`, 'must be an integer ≥ 1');
    }
    if (event.metadata.tenant !== tenant) {
      throw new InvalidEventError(`events[${index}].metadata.tenant`, `must be the stream's tenant "${tenant}"`);
    }
  });
};
