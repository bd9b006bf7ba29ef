import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type JSONEventData,
  type JSONType,
  type ReadPosition,
  type RecordedEvent as EsdbEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../envelope.js';
import { IdempotencyMismatchError, InvalidEventError, WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.js';
import { isStreamName, parseStreamName } from '../stream-name.js';
import { tenantShardOf } from '../tenant-shard.js';
import type { EventStoreAdapterOptions } from '../adapter-options.js';
import { Upcasters } from '../upcasters.js';
import { validateAppend } from '../validate-append.js';
import { filteredSubscription } from './filtered-subscription.js';

/** How far back from a stream's end an append looks for its event ids when the server cannot tell (see appendToStream). */
const IDEMPOTENCY_WINDOW = 500;
/** Raw `$all` records per read while filtering on the client, and how many one readAll scans before it returns. */
const SCAN_BATCH = { min: 256, max: 4096 } as const;
const SCAN_BUDGET = 20_000;
const HEAD_BATCH = 100;

export type EventStoreDbEventStoreOptions = EventStoreAdapterOptions;

/**
 * The port on EventStoreDB (22.6 or later: stream reads must carry `$all` positions) through `@eventstore/db-client`.
 *
 * Positions: our bigint position is the event's commit position. Appends through gRPC never use explicit
 * transactions, so every event is its own implicitly committed record whose commit position is its own log
 * position: unique, and increasing in `$all` order (a record becomes readable only after every record before it).
 *
 * Envelope: ESDB event id = our eventId, ESDB type = our type, JSON data = our data, ESDB metadata = our metadata
 * plus `schemaVersion` and `appendId` (a random id per appendToStream call, used only to tell who wrote an event).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly upcasters: Upcasters;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions & { ownsClient?: boolean } = {},
  ) {
    this.upcasters = options.upcasters ?? new Upcasters();
  }

  /** A store on its own client (e.g. `esdb://eventstoredb:2113?tls=false`); close() disposes the client. */
  static fromConnectionString(
    connectionString: string,
    options: EventStoreDbEventStoreOptions = {},
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), {
      ...options,
      ownsClient: true,
    });
  }

  /**
   * ESDB's own idempotency (same event ids at the same expected revision: success without writing) is reported
   * exactly like a write: older servers omit the position, newer ones return the original one. So after a
   * successful append we read the append's last event back and compare its `appendId` with ours: only the call
   * that wrote the events reports `duplicate: false`. With `any` the server's check is best effort (a bounded
   * cache), so we first look for the ids among the stream's last events ourselves; a conflict looks there too,
   * since a retried append may carry a stale expected revision.
   */
  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    validateAppend(streamName, events, expectedRevision);
    const ids = events.map((e) => e.eventId.toLowerCase());
    const appendId = randomUUID();
    const proposed = events.map((event, index) => toEventData(event, index, appendId));
    const started = process.hrtime.bigint();

    if (expectedRevision === 'any') {
      const known = await this.alreadyStored(streamName, ids);
      if (known) return known;
    }

    let nextRevision: bigint;
    try {
      const written = await this.client.appendToStream(streamName, proposed, {
        expectedRevision: toEsdbRevision(expectedRevision),
      });
      nextRevision = written.nextExpectedRevision;
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      const known = await this.alreadyStored(streamName, ids);
      if (known) return known;
      const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
      throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
    }

    const [last] = await this.readRaw(streamName, { direction: FORWARDS, fromRevision: nextRevision, maxCount: 1 });
    if (last && last.id.toLowerCase() === ids[ids.length - 1] && readEnvelope(last.metadata)?.appendId === appendId) {
      this.options.onAppend?.(streamName, events.length, Number(process.hrtime.bigint() - started) / 1e9);
      return { nextExpectedRevision: Number(nextRevision), position: positionOf(last), duplicate: false };
    }
    const known = await this.alreadyStored(streamName, ids);
    if (known) return known;
    throw new Error(
      `EventStoreDB acknowledged the append to ${streamName} without writing it, but its events are not among the stream's last ${IDEMPOTENCY_WINDOW + ids.length}`,
    );
  }

  /** The no-op result when every id is among the stream's last events; a partial match is an error; else undefined. */
  private async alreadyStored(streamName: string, ids: readonly string[]): Promise<AppendResult | undefined> {
    const tail = await this.readRaw(streamName, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: IDEMPOTENCY_WINDOW + ids.length,
    });
    const wanted = new Set(ids);
    const found = tail.filter((event) => wanted.has(event.id.toLowerCase()));
    const head = tail[0];
    if (found.length === 0 || !head) return undefined;
    if (found.length < ids.length) throw new IdempotencyMismatchError(streamName, [...ids]);
    const position = found.map(positionOf).reduce((a, b) => (a > b ? a : b));
    return { nextExpectedRevision: Number(head.revision), position, duplicate: true };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const fromRevision =
      options.fromRevision === undefined ? (backwards ? END : START) : BigInt(Math.max(0, options.fromRevision));
    const raw = await this.readRaw(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    return raw.map((event) => {
      const recorded = this.decode(event);
      if (!recorded) throw new Error(`Event ${event.id} in ${streamName} does not carry the event envelope`);
      return recorded;
    });
  }

  /**
   * This client version (6.x) sends no server-side filter with readAll (only subscribeToAll takes one), so the
   * filter runs here over raw `$all` pages: system events (`$` types and streams) and events outside our stream
   * naming are always skipped. A read returns after maxCount matches, at the end of `$all`, or after scanning
   * SCAN_BUDGET records; lastPosition is the last record scanned, so hidden records are never scanned twice.
   */
  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const maxCount = options.maxCount ?? 1000;
    const batch = Math.min(Math.max(maxCount + 1, SCAN_BATCH.min), SCAN_BATCH.max);
    const events: RecordedEvent[] = [];
    let scanned = options.fromPosition;
    let budget = SCAN_BUDGET;
    for (;;) {
      const page = await this.scanAll(scanned, batch);
      for (const raw of page.records) {
        scanned = raw.position.commit;
        const event = isOwn(raw) && matches(raw, options.filter) ? this.decode(raw) : undefined;
        if (event) events.push(event);
        if (events.length >= maxCount) return { events, lastPosition: scanned, isEnd: false };
      }
      budget -= page.records.length;
      if (page.exhausted) return { events, lastPosition: scanned, isEnd: true };
      if (budget <= 0) return { events, lastPosition: scanned, isEnd: false };
    }
  }

  /**
   * EventStoreDB's own subscription to `$all`, filtered on the server (event types, else stream prefixes), pushed
   * as appends happen, supervised and resumed after the last delivered event (./filtered-subscription.ts). Needs
   * EventStoreDB 23.10 or later for onCaughtUp. The rest of the filter is readAll's own check.
   */
  subscribeToAll(options: SubscribeOptions): Subscription {
    return filteredSubscription(
      {
        client: this.client,
        accept: (raw) => (isOwn(raw) && matches(raw, options.filter) ? this.decode(raw) : undefined),
      },
      options,
    );
  }

  /** Position of the newest of our events in `$all` (system events and foreign streams skipped). */
  async headPosition(): Promise<bigint | undefined> {
    let from: ReadPosition = END;
    for (;;) {
      const records: AllStreamResolvedEvent[] = await collect(
        this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_BATCH }),
      );
      const raws = records.flatMap((resolved) => (resolved.event ? [resolved.event] : []));
      const own = raws.find(isOwn);
      if (own) return positionOf(own);
      const oldest = raws[raws.length - 1];
      if (records.length < HEAD_BATCH || !oldest) return undefined;
      from = oldest.position;
    }
  }

  /** `$all` in EventStoreDB is in commit order: an acknowledged append is readable at once. */
  async awaitSettled(): Promise<void> {}

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.client.dispose();
  }

  /** Raw `$all` records after `after` (exclusive; the server's read from a position includes it). */
  private async scanAll(
    after: bigint | undefined,
    count: number,
  ): Promise<{ records: AllStreamRecordedEvent[]; exhausted: boolean }> {
    const requested = count + 1;
    const fromPosition: ReadPosition = after === undefined ? START : { commit: after, prepare: after };
    const resolved = await collect(this.client.readAll({ fromPosition, direction: FORWARDS, maxCount: requested }));
    const records = resolved.flatMap(({ event }) =>
      event && (after === undefined || event.position.commit > after) ? [event] : [],
    );
    return { records, exhausted: resolved.length < requested };
  }

  private async readRaw(
    streamName: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof START | typeof END;
      maxCount: number;
    },
  ): Promise<EsdbEvent[]> {
    try {
      // From the leader: an append confirms itself by reading back, and a command loads the latest state.
      const resolved = await collect(this.client.readStream(streamName, { ...options, requiresLeader: true }));
      return resolved.flatMap(({ event }) => (event ? [event] : []));
    } catch (error) {
      if (hasErrorType(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw error;
    }
  }

  private decode(raw: EsdbEvent): RecordedEvent | undefined {
    const envelope = readEnvelope(raw.metadata);
    if (!envelope) return undefined;
    return this.upcasters.apply({
      eventId: raw.id,
      type: raw.type,
      schemaVersion: envelope.schemaVersion,
      data: raw.data,
      metadata: envelope.metadata,
      streamName: raw.streamId,
      streamRevision: Number(raw.revision),
      position: positionOf(raw),
      recordedAt: raw.created,
    });
  }
}

const toEsdbRevision = (expected: ExpectedRevision): AppendExpectedRevision =>
  expected === 'any' ? ANY : expected === 'no_stream' ? NO_STREAM : BigInt(expected);

const toEventData = (event: NewEvent, index: number, appendId: string): JSONEventData => ({
  id: event.eventId,
  contentType: 'application/json',
  type: event.type,
  data: toJsonData(event.data, index),
  metadata: { ...event.metadata, schemaVersion: event.schemaVersion, appendId },
});

const toJsonData = (data: unknown, index: number): JSONType => {
  if (typeof data === 'string' || Array.isArray(data) || isRecord(data)) return data;
  throw new InvalidEventError(`events[${index}].data`, 'must be a JSON object, array or string');
};

/** Our envelope back out of the ESDB metadata; undefined for events this adapter did not write. */
const readEnvelope = (
  stored: unknown,
): { schemaVersion: number; appendId: string | undefined; metadata: EventMetadata } | undefined => {
  if (!isRecord(stored)) return undefined;
  const { schemaVersion, appendId, ...metadata } = stored;
  if (typeof schemaVersion !== 'number' || !isEventMetadata(metadata)) return undefined;
  return { schemaVersion, appendId: typeof appendId === 'string' ? appendId : undefined, metadata };
};

const isEventMetadata = (value: Record<string, unknown>): value is Record<string, unknown> & EventMetadata =>
  typeof value.tenant === 'string' &&
  typeof value.correlationId === 'string' &&
  typeof value.causationId === 'string' &&
  typeof value.occurredAt === 'string' &&
  isRecord(value.actor) &&
  typeof value.actor.id === 'string' &&
  typeof value.actor.role === 'string';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** Our events: not a system event, in a stream named `<tenant>.<context>.<aggregate>-<id>`. */
const isOwn = (event: EsdbEvent): boolean => !event.type.startsWith('$') && isStreamName(event.streamId);

/** Whether an own event (isOwn first: its stream name parses) passes the filter. */
const matches = (event: EsdbEvent, filter: EventFilter | undefined): boolean =>
  (!filter?.eventTypes?.length || filter.eventTypes.includes(event.type)) &&
  (!filter?.streamPrefixes?.length || filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) &&
  (!filter?.tenantShard ||
    tenantShardOf(parseStreamName(event.streamId).tenant, filter.tenantShard.count) === filter.tenantShard.index);

// Servers before 22.6 send no position (0 or 2^64-1) on stream reads; real positions are > 0 and < 2^63.
const positionOf = (event: EsdbEvent): bigint => {
  const commit = event.position?.commit;
  if (commit === undefined || commit <= 0n || commit >= 2n ** 63n) {
    throw new Error(
      `EventStoreDB gave no $all position for ${event.streamId}@${event.revision}: this adapter needs EventStoreDB 22.6 or later`,
    );
  }
  return commit;
};

const isWrongExpectedVersion = (
  error: unknown,
): error is { type: ErrorType.WRONG_EXPECTED_VERSION; actualVersion: 'no_stream' | bigint } =>
  hasErrorType(error, ErrorType.WRONG_EXPECTED_VERSION) && 'actualVersion' in error;

const hasErrorType = (error: unknown, type: ErrorType): error is Error & { type: ErrorType } =>
  error instanceof Error && 'type' in error && error.type === type;

const collect = async <E>(read: StreamingRead<E>): Promise<E[]> => {
  const items: E[] = [];
  const iterable: AsyncIterable<E> = read;
  for await (const item of iterable) items.push(item);
  return items;
};
