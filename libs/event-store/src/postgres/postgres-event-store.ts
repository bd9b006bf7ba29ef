import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { NewEvent, RecordedEvent } from '../envelope.js';
import { IdempotencyMismatchError, StoreNotSettledError, WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendResult,
  AppendWatch,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.js';
import { validateAppend } from '../validate-append.js';
import { catchUpSubscription } from '../subscription/catch-up-subscription.js';
import type { EventStoreAdapterOptions } from '../adapter-options.js';
import { Upcasters } from '../upcasters.js';
import { recordedEventOfRow, type EventRow } from './event-row.js';
import { APPEND_CHANNEL, AppendNotifications, type AppendNotificationTimings } from './append-notifications.js';
import { StreamReads } from './stream-reads.js';
import { AllReads } from './all-reads.js';
import { StreamAppends } from './stream-appends.js';

const COLUMNS =
  'position, stream_name, stream_revision, event_id, event_type, schema_version, data, metadata, recorded_at';
const EXPECTED_CODE = { no_stream: -1, any: -2 } as const;

export interface PostgresEventStoreOptions extends EventStoreAdapterOptions {
  /** How readers wait for appends (LISTEN/NOTIFY with a safety poll, ADR 0017). */
  notifications?: AppendNotificationTimings;
}

/** The default adapter: the event store in PostgreSQL tables (see migrations.ts for the schema and ordering). */
export class PostgresEventStore implements EventStore {
  private readonly appends: AppendNotifications;
  private readonly upcasters: Upcasters;
  private readonly streamReads: StreamReads;
  private readonly allReads: AllReads;
  private readonly streamAppends: StreamAppends;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new Upcasters();
    this.streamReads = new StreamReads(pool, COLUMNS);
    this.allReads = new AllReads(pool, COLUMNS);
    this.streamAppends = new StreamAppends(pool);
    // The pool's own connection settings, for the one connection that LISTENs.
    this.appends = new AppendNotifications(
      (pool as unknown as { options: pg.ClientConfig }).options,
      options.notifications,
      (position) => pool.query('SELECT pg_notify($1, $2)', [APPEND_CHANNEL, String(position)]),
    );
  }

  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    validateAppend(streamName, events, expectedRevision);
    try {
      return await this.tryAppend(streamName, events, expectedRevision);
    } catch (error) {
      // Two first appends raced to create the stream; with `any` the loser simply appends after the winner.
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code !== '23505' || constraint !== 'es_streams_pkey') throw error;
      if (expectedRevision === 'any') return this.tryAppend(streamName, events, expectedRevision);
      const duplicate = await this.storedAppend(streamName, events);
      if (duplicate) return duplicate;
      throw new WrongExpectedRevisionError(streamName, expectedRevision, 0);
    }
  }

  private async tryAppend(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    const expected = typeof expectedRevision === 'number' ? expectedRevision : EXPECTED_CODE[expectedRevision];
    try {
      const row = await this.streamAppends.append(streamName, expected, events);
      this.options.onAppend?.(streamName, events.length, Number(process.hrtime.bigint() - started) / 1e9);
      if (!row.duplicate) this.appends.appended(BigInt(row.last_position));
      return {
        nextExpectedRevision: Number(row.next_revision),
        position: BigInt(row.last_position),
        duplicate: row.duplicate,
      };
    } catch (error) {
      return this.explainAppendFailure(error, streamName, events, expectedRevision);
    }
  }

  /** A racing twin of the same append surfaces as a conflict or unique violation: report it as the no-op it is. */
  private async explainAppendFailure(
    error: unknown,
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === 'KS002' || (code === '23505' && constraint !== 'es_streams_pkey')) {
      const duplicate = await this.storedAppend(streamName, events);
      if (duplicate) return duplicate;
      if (code === '23505')
        throw new IdempotencyMismatchError(
          streamName,
          events.map((e) => e.eventId),
        );
      const actual = (error as Error).message;
      throw new WrongExpectedRevisionError(
        streamName,
        expectedRevision,
        actual === 'no_stream' ? 'no_stream' : Number(actual),
      );
    }
    throw error;
  }

  /** The result of an earlier append of exactly these events to this stream, if there was one. */
  private async storedAppend(streamName: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const ids = events.map((e) => e.eventId);
    const { rows } = await this.pool.query<{ stored: string; last_position: string | null; revision: string | null }>(
      `SELECT count(*) AS stored, max(position) AS last_position,
              (SELECT revision FROM es_streams WHERE stream_name = $2) AS revision
         FROM es_events WHERE event_id = ANY ($1) AND stream_name = $2`,
      [ids, streamName],
    );
    const row = rows[0];
    if (!row || Number(row.stored) !== ids.length || row.last_position === null || row.revision === null)
      return undefined;
    return { nextExpectedRevision: Number(row.revision), position: BigInt(row.last_position), duplicate: true };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 2_147_483_647;
    if (options.direction !== 'backwards') {
      const rows = await this.streamReads.read(streamName, options.fromRevision ?? 0, maxCount);
      return rows.map((row) => this.toRecorded(row));
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE stream_name = $1 AND stream_revision <= $2
        ORDER BY stream_revision DESC LIMIT $3`,
      [streamName, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount],
    );
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const { rows, lastPosition, isEnd } = await this.allReads.read(options);
    return { events: rows.map((row) => this.toRecorded(row)), lastPosition, isEnd };
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return catchUpSubscription({ readAll: (o) => this.readAll(o), watch: () => this.appends.watch() }, options);
  }

  watchAppends(): AppendWatch {
    return this.appends.watch();
  }

  async headPosition(): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ head: string | null }>(
      'SELECT max(position) AS head FROM es_events WHERE position < es_safe_horizon()',
    );
    const head = rows[0]?.head;
    return head === null || head === undefined ? undefined : BigInt(head);
  }

  async awaitSettled({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const { rows } = await this.pool.query<{ target: string }>('SELECT es_settle_target() AS target');
    const target = BigInt(rows[0]?.target ?? '0');
    const deadline = Date.now() + timeoutMs;
    for (let pause = 5; (await this.safeHorizon()) < target; pause = Math.min(pause * 2, 100)) {
      if (Date.now() > deadline) throw new StoreNotSettledError(timeoutMs);
      await sleep(pause);
    }
  }

  /**
   * Positions come from transaction ids (ADR 0002), so a cluster restored from a logical dump, whose id counter starts
   * low again, would append behind events already read. Refuse to start instead.
   */
  async assertPositionsCanGrow(): Promise<void> {
    const { rows } = await this.pool.query<{ stored: string | null; current: string }>(
      'SELECT (max(position) >> 20)::text AS stored, pg_current_xact_id()::text AS current FROM es_events',
    );
    const row = rows[0];
    if (row?.stored && BigInt(row.stored) >= BigInt(row.current)) {
      throw new Error(
        `Event store: transaction id ${row.current} is behind stored events (${row.stored}); ` +
          'advance it with pg_resetwal -x before appending (docs/runbook.md, Restore)',
      );
    }
  }

  /**
   * Whether this role sees other roles' sessions in pg_stat_activity: without that (superuser or pg_read_all_stats),
   * their transactions in other databases hold readers back as if they were this database's (ADR 0007).
   */
  async seesOtherSessions(): Promise<boolean> {
    const { rows } = await this.pool.query<{ sees: boolean }>(
      `SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
              OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS sees`,
    );
    return rows[0]?.sees === true;
  }

  async close(): Promise<void> {
    await this.appends.close();
  }

  private async safeHorizon(): Promise<bigint> {
    const { rows } = await this.pool.query<{ horizon: string }>('SELECT es_safe_horizon() AS horizon');
    return BigInt(rows[0]?.horizon ?? '0');
  }

  private toRecorded(row: EventRow): RecordedEvent {
    return this.upcasters.apply(recordedEventOfRow(row));
  }
}
