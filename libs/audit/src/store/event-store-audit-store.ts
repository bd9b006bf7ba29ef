import type { Pool } from '#libs/database';
import {
  chainLeaf,
  GENESIS_HEAD,
  lastStoredCheckpoint,
  leafFingerprint,
  type ChainBreak,
  type CheckpointDraft,
  type EventFilter,
  type EventStore,
  type IntegrityReport,
  type RecordedEvent,
  type SealedEvent,
  type StoredCheckpoint,
} from '#libs/event-store';
import { mentions } from '../history/mentions.projection.js';
import { checkpointsIn, type AuditEvent, type AuditStore } from './audit-store.js';
import { portEventLeaf } from './port-leaf.js';

const PAGE = 500;
// The same lock as the PostgreSQL sealer's (libs/event-store seal.ts): one sealer at a time per database.
const SEAL_LOCK = 4_711_2021;

const stillStreamDeleted = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'stream-deleted';

/**
 * Any store read through the EventStore port: how the auditor reads EventStoreDB. Give it a store without upcasters,
 * so it sees the events as stored. The checkpoints of the seal are kept in PostgreSQL (`es_checkpoints`, beside the
 * read models), the events in the store.
 *
 * What it can verify there (docs/audit.md, Integrity): every stream's revisions gapless from 0 in `$all` order; each
 * stream's head as a stream read gives it is the last event `$all` gave (a deleted or truncated stream); and, against
 * the signed anchors, every sealed event unchanged, none missing, none added in a sealed range. It has no per-event
 * hash kept in the store: a changed event after the last anchor is not found.
 */
export class EventStoreAuditStore implements AuditStore {
  readonly checks = 'revision continuity' as const;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
  ) {}

  async mentioning(tenant: string, ids: readonly string[], limit: number): Promise<AuditEvent[]> {
    const found: AuditEvent[] = [];
    for await (const event of this.walk({ filter: { streamPrefixes: [`${tenant}.`] } })) {
      if (!ids.some((id) => mentions(event.data, id))) continue;
      found.push(event);
      if (found.length >= limit) break;
    }
    return found;
  }

  async verifyStreams(options: { streamName?: string }): Promise<IntegrityReport> {
    const stream = options.streamName;
    const seen = new Map<string, { revision: number; position: bigint; eventId: string }>();
    let events = 0;
    let firstBreak: ChainBreak | undefined;
    const end = { position: undefined as bigint | undefined };
    const filter = stream === undefined ? undefined : { streamPrefixes: [stream] };
    for await (const event of this.walk({ filter, end })) {
      if (stream !== undefined && event.streamName !== stream) continue;
      events++;
      const before = seen.get(event.streamName);
      if (!firstBreak && event.streamRevision !== (before ? before.revision + 1 : 0)) {
        firstBreak = breakOf(event, 'event missing before this one');
      }
      seen.set(event.streamName, {
        revision: event.streamRevision,
        position: event.position,
        eventId: event.eventId,
      });
    }
    // A stream read must end where `$all` ended the stream, unless events were appended after the walk.
    for (const [streamName, last] of seen) {
      if (firstBreak && firstBreak.position <= last.position) continue;
      let read: RecordedEvent[];
      try {
        read = await this.store.readStream(streamName, { fromRevision: last.revision, maxCount: 2 });
      } catch (error) {
        if (!stillStreamDeleted(error)) throw error;
        read = [];
      }
      const [head, next] = read;
      const same = head?.streamRevision === last.revision && sameId(head.eventId, last.eventId);
      const later = next === undefined || (end.position !== undefined && next.position > end.position);
      if (!same || !later) {
        firstBreak = {
          streamName,
          streamRevision: last.revision,
          position: last.position,
          eventId: last.eventId,
          problem: 'stream head differs',
        };
      }
    }
    return {
      eventsChecked: events,
      streamsChecked: seen.size,
      ...(firstBreak ? { firstBreak } : {}),
    };
  }

  async *sealedEvents(range: { after: bigint; upto?: bigint }): AsyncGenerator<SealedEvent> {
    for await (const event of this.walk({ after: range.after, upto: range.upto })) yield sealedOf(event);
  }

  async countEvents(range: { after?: bigint; upto?: bigint; streamName?: string }): Promise<number> {
    let count = 0;
    const filter = range.streamName === undefined ? undefined : { streamPrefixes: [range.streamName] };
    for await (const event of this.walk({ after: range.after, upto: range.upto, filter })) {
      if (range.streamName === undefined || event.streamName === range.streamName) count++;
    }
    return count;
  }

  checkpoints(): Promise<{ sealed: number; publishedToFile: number }> {
    return checkpointsIn(this.pool);
  }

  /**
   * The next checkpoint: the events after the last one, read from `$all` in commit order. On EventStoreDB an event
   * becomes readable only after every event before it, so no event can later appear inside the sealed range: the
   * range ends at its last event. The checkpoint row is written under the sealers' lock in PostgreSQL.
   */
  async sealNext(
    sign: (draft: CheckpointDraft) => string,
    options: { maxEvents?: number } = {},
  ): Promise<StoredCheckpoint | undefined> {
    const maxEvents = options.maxEvents ?? 5_000;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
        const last = await lastStoredCheckpoint(client);
        const after = last?.upto ?? -1n;
        const events: SealedEvent[] = [];
        for await (const event of this.walk({ after })) {
          events.push(sealedOf(event));
          if (events.length >= maxEvents) break;
        }
        const lastEvent = events.at(-1);
        if (!lastEvent) {
          await client.query('ROLLBACK');
          return undefined;
        }
        const previousHead = last?.head ?? GENESIS_HEAD;
        let head = previousHead;
        for (const event of events) head = chainLeaf(head, event.leaf);
        const draft: CheckpointDraft = {
          seq: (last?.seq ?? 0) + 1,
          after,
          upto: lastEvent.position,
          previousHead,
          head,
          events: events.map((e) => ({ position: e.position, fingerprint: leafFingerprint(e.leaf) })),
        };
        const anchor = sign(draft);
        await client.query(
          `INSERT INTO es_checkpoints (seq, after_position, upto_position, event_count, head, anchor)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [draft.seq, String(after), String(draft.upto), events.length, head, anchor],
        );
        await client.query('COMMIT');
        return { seq: draft.seq, after, upto: draft.upto, eventCount: events.length, head, anchor };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /**
   * `$all` page by page, after `after` (exclusive) up to `upto` (inclusive) or its current end; `end.position` is set
   * to the last position the walk covered.
   */
  private async *walk(options: {
    after?: bigint;
    upto?: bigint;
    filter?: EventFilter;
    end?: { position: bigint | undefined };
  }): AsyncGenerator<AuditEvent> {
    let from = options.after !== undefined && options.after >= 0n ? options.after : undefined;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: PAGE, filter: options.filter });
      for (const event of page.events) {
        if (options.upto !== undefined && event.position > options.upto) return;
        yield event;
      }
      from = page.lastPosition ?? from;
      if (options.end) options.end.position = from;
      if (page.isEnd || (options.upto !== undefined && from !== undefined && from >= options.upto)) return;
    }
  }
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const breakOf = (event: AuditEvent, problem: ChainBreak['problem']): ChainBreak => ({
  streamName: event.streamName,
  streamRevision: event.streamRevision,
  position: event.position,
  eventId: event.eventId,
  problem,
});

const sealedOf = (event: AuditEvent): SealedEvent => ({
  position: event.position,
  streamName: event.streamName,
  streamRevision: event.streamRevision,
  eventId: event.eventId,
  leaf: portEventLeaf(event),
});
