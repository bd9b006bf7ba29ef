import { DomainError } from '#libs/decider';
import { parseStreamName, type EventStore } from '#libs/event-store';
import { describeUntil, recordedBy, type Until } from '../shared/until.js';
import { aggregateFolds } from './aggregate-deciders.js';
import { plainState } from './plain-state.js';

export interface StateAsOf {
  streamName: string;
  asOf: string;
  /** How many of the stream's events the state folds, and the last of them. */
  eventsFolded: number;
  eventsAfter: number;
  lastEvent: { revision: number; position: string; type: string; recordedAt: string } | null;
  state: unknown;
}

export class StreamNotAuditable extends DomainError {
  readonly kind = 'invalid';
  constructor(stream: string, known: readonly string[]) {
    super(`No decider folds stream ${stream}; streams of ${known.join(', ')} can be folded`);
  }
}

export class StreamBelongsToAnotherTenant extends DomainError {
  readonly kind = 'not_found';
  constructor(stream: string) {
    super(`There is no stream ${stream} in your tenant`);
  }
}

/** The aggregate as its decider saw it at a past moment: its stream folded up to that instant or position. */
export const stateAsOf = async (
  store: EventStore,
  tenant: string,
  stream: string,
  until: Until,
): Promise<StateAsOf> => {
  const parsed = parseStreamName(stream);
  if (parsed.tenant !== tenant) throw new StreamBelongsToAnotherTenant(stream);
  const foldState = foldFor(stream);
  if (!foldState) throw new StreamNotAuditable(stream, Object.keys(aggregateFolds));
  const events = await store.readStream(stream);
  const folded = events.filter((event) => recordedBy(event, until));
  const last = folded.at(-1);
  return {
    streamName: stream,
    asOf: describeUntil(until),
    eventsFolded: folded.length,
    eventsAfter: events.length - folded.length,
    lastEvent: last
      ? {
          revision: last.streamRevision,
          position: String(last.position),
          type: last.type,
          recordedAt: last.recordedAt.toISOString(),
        }
      : null,
    state: plainState(foldState(folded)),
  };
};

// Ids hold '-' too (uuids), so the aggregate is found by the known names, not by splitting at the last '-'.
const foldFor = (stream: string) => {
  const [, context, ...rest] = stream.split('.');
  const tail = rest.join('.');
  const key = Object.keys(aggregateFolds).find((known) => {
    const [knownContext, aggregate] = known.split('.');
    return knownContext === context && tail.startsWith(`${aggregate ?? ''}-`);
  });
  return key === undefined ? undefined : aggregateFolds[key];
};
