import { setImmediate } from 'node:timers/promises';
import { inTransaction, type Pool, type PoolClient } from '#libs/database';
import type { RecordedEvent } from '#libs/event-store';
import { contextFrom, tracer } from '#libs/platform';
import type { Projection } from '../projection.js';
import { ChangeSet } from './change-set.js';
import { announceCheckpoint } from './live-checkpoint-notices.js';
import { loadShardCursor, saveShard, type Shard } from './shards.js';
import type { TableSet } from './table-set.js';
import type { WrittenKeys } from './written-keys.js';

export interface Batch {
  events: readonly RecordedEvent[];
  /** Where the read stopped (covers events the filter hid): the checkpoint after the whole batch. */
  lastPosition: bigint;
}

export interface BatchContext {
  pool: Pool;
  projection: Projection;
  set: TableSet;
  /** Ids of events an admin chose to skip (recorded as events, see skips.ts). */
  skips: ReadonlySet<string>;
  /** As-of builds leave out events after their instant; a shard leaves out other shards' tenants. */
  include?: (event: RecordedEvent) => boolean;
  /** Set when the live set is split by tenant: the batch moves this shard's position (shards.ts). */
  shard?: Shard;
}

export type BatchOutcome =
  | { kind: 'applied'; position: bigint; events: number; lastEventAt: Date | undefined }
  | {
      kind: 'failed';
      position: bigint;
      events: number;
      lastEventAt: Date | undefined;
      failedAt: RecordedEvent;
      error: string;
    }
  /** Someone else moved the checkpoint (another runner, an admin): reload it. */
  | { kind: 'stale' };

interface Poison {
  index: number;
  error: unknown;
}

/** A batch with its row changes worked out, ready to be written: pure, so it may be made while another commits. */
export interface PreparedBatch {
  batch: Batch;
  /** The batch's events this set takes (skips and the shard's or instant's filter applied). */
  events: readonly RecordedEvent[];
  changes: ChangeSet;
  poison: Poison | undefined;
}

/**
 * Runs the handler over the batch's events (until one throws): the CPU half of applying a batch, with no I/O. With
 * `written` (a build that has written every row of its set itself), rows it has not written are inserted.
 */
export const prepareBatch = (context: BatchContext, batch: Batch, written?: WrittenKeys): PreparedBatch => {
  const prepared = startBatch(context, batch, written);
  prepared.poison = collect(context, prepared.events, prepared.changes);
  return prepared;
};

/**
 * Events handled between two turns of the event loop in prepareBatchInSlices: about a millisecond of work. The commit
 * in flight makes a round trip per statement (a score of them for a build's batch), and each answer waits for the
 * slice under way: with 500, PostgreSQL sat idle for about 3 µs per event of a statistics rebuild, with 100 about 2.
 */
const SLICE = 100;

/**
 * As prepareBatch, giving the event loop a turn after every slice of events: the commit in flight meanwhile (a
 * transaction of several statements) then gets each answer from PostgreSQL seen to at once, not after the whole batch.
 */
export const prepareBatchInSlices = async (
  context: BatchContext,
  batch: Batch,
  written?: WrittenKeys,
): Promise<PreparedBatch> => {
  const prepared = startBatch(context, batch, written);
  const { events, changes } = prepared;
  for (let start = 0; start < events.length && !prepared.poison; start += SLICE) {
    if (start > 0) await setImmediate();
    prepared.poison = collect(context, events, changes, start, start + SLICE);
  }
  return prepared;
};

/** The batch's events this set takes, and an empty change set for them. */
const startBatch = (context: BatchContext, batch: Batch, written: WrittenKeys | undefined): PreparedBatch => ({
  batch,
  events: batch.events.filter((event) => !context.skips.has(event.eventId) && (context.include?.(event) ?? true)),
  changes: new ChangeSet(context.projection, written),
  poison: undefined,
});

/**
 * Writes a prepared batch and moves the checkpoint in one transaction, so each event takes effect exactly once even if
 * the process dies mid-batch. Changes are merged and written set-based, new rows with COPY; when PostgreSQL rejects
 * them, the batch is replayed event by event under savepoints (upserting every row) to find the event at fault.
 */
export const commitBatch = async (
  context: BatchContext,
  expected: bigint,
  { batch, events, changes, poison }: PreparedBatch,
): Promise<BatchOutcome> => {
  try {
    // New rows go in with COPY, which needs the transaction; the rest fits one statement.
    if (!context.shard && !poison && !changes.hasNewRows && changes.oneRound) {
      return await inOneStatement(context, expected, changes, applied(events, batch));
    }
    const plan = changes.plan(context.set);
    return await inCheckpointTransaction(context, expected, async (client) => {
      await changes.write(client, context.set, plan);
      return outcome(events, batch, expected, poison);
    });
  } catch (error) {
    if (!isDataError(error)) throw error;
    // A key taken for new may have been there (a unique violation): from here on the build upserts every row.
    if (changes.hasNewRows) changes.written?.distrust();
    return inCheckpointTransaction(context, expected, (client) =>
      applyOneByOne(client, context, events, batch, expected),
    );
  }
};

/** Prepares and commits one batch. */
export const applyBatch = (context: BatchContext, expected: bigint, batch: Batch): Promise<BatchOutcome> =>
  commitBatch(context, expected, prepareBatch(context, batch));

/** Runs the handler over the events (from `start` to before `end`) until one throws (or asks for an impossible change). */
const collect = (
  context: BatchContext,
  events: readonly RecordedEvent[],
  changes: ChangeSet,
  start = 0,
  end = events.length,
): Poison | undefined => {
  for (let index = start; index < Math.min(end, events.length); index++) {
    const event = events[index] as RecordedEvent;
    // A span per applied event, in the trace of the command that appended it (a no-op when tracing is off).
    const span = event.metadata.traceparent
      ? tracer().startSpan(
          `projection ${context.projection.name} ${event.type}`,
          { attributes: { 'kulturskole.projection': context.projection.name, 'kulturskole.event_type': event.type } },
          contextFrom(event.metadata),
        )
      : undefined;
    try {
      const prepared = context.projection.handle(event).map((change) => changes.prepare(event.metadata.tenant, change));
      for (const row of prepared) changes.addPrepared(row);
    } catch (error) {
      return { index, error };
    } finally {
      span?.end();
    }
  }
  return undefined;
};

const applyOneByOne = async (
  client: PoolClient,
  context: BatchContext,
  events: readonly RecordedEvent[],
  batch: Batch,
  expected: bigint,
): Promise<BatchOutcome> => {
  for (const [index, event] of events.entries()) {
    const changes = new ChangeSet(context.projection);
    const poison = collect(context, [event], changes);
    if (poison) return outcome(events, batch, expected, { index, error: poison.error });
    await client.query('SAVEPOINT event');
    try {
      await changes.write(client, context.set);
      await client.query('RELEASE SAVEPOINT event');
    } catch (error) {
      if (!isDataError(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT event');
      return outcome(events, batch, expected, { index, error });
    }
  }
  return outcome(events, batch, expected, undefined);
};

const outcome = (
  events: readonly RecordedEvent[],
  batch: Batch,
  expected: bigint,
  poison: Poison | undefined,
): BatchOutcome => {
  if (!poison) return applied(events, batch);
  const failedAt = events[poison.index];
  if (!failedAt) throw new Error('poison index outside the batch');
  const previous = events[poison.index - 1];
  const position = previous?.position ?? expected;
  const error = describe(poison.error);
  return { kind: 'failed', position, events: poison.index, lastEventAt: previous?.recordedAt, failedAt, error };
};

const applied = (events: readonly RecordedEvent[], batch: Batch): Extract<BatchOutcome, { kind: 'applied' }> => ({
  kind: 'applied',
  position: batch.lastPosition,
  events: events.length,
  lastEventAt: events[events.length - 1]?.recordedAt,
});

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 2000) : String(error).slice(0, 2000);

/**
 * The common batch (one set, no poison, one step per row) as one statement: the checkpoint moves only from where the
 * batch expects it, and every row change is gated on that move, so a stale batch writes nothing. One round trip, and
 * the statement's transaction holds back the store's safe horizon (ADR 0002) only while it runs.
 */
const inOneStatement = async (
  context: BatchContext,
  expected: bigint,
  changes: ChangeSet,
  result: Extract<BatchOutcome, { kind: 'applied' }>,
): Promise<BatchOutcome> => {
  const writes = changes.statements(context.set, 0, 6);
  const sql = [
    `WITH moved AS (
       UPDATE projection_checkpoints
          SET position = $2, events_applied = events_applied + $3, updated_at = now(),
              last_event_at = coalesce($4::timestamptz, last_event_at),
              error = NULL, failed_position = NULL, failed_event_id = NULL, failed_tenant = NULL
        WHERE table_set = $1 AND position = $5 AND status NOT IN ('failed', 'built')
        RETURNING 1)`,
    ...writes.map((write, n) => `, w${n} AS (${write.sql('EXISTS (SELECT 1 FROM moved)')})`),
    'SELECT count(*)::int AS moved FROM moved',
  ].join('\n');
  const params = [
    context.set.id,
    String(result.position),
    result.events,
    result.lastEventAt ?? null,
    String(expected),
    ...writes.flatMap((write) => write.params),
  ];
  const { rows } = await context.pool.query<{ moved: number }>(sql, params);
  if (rows[0]?.moved !== 1) return { kind: 'stale' };
  if (context.set.kind === 'live') announceCheckpoint(context.pool, context.projection.name);
  return result;
};

// A stale checkpoint leaves the transaction having only locked its row: committing it writes nothing.
const inCheckpointTransaction = (
  context: BatchContext,
  expected: bigint,
  work: (client: PoolClient) => Promise<BatchOutcome>,
): Promise<BatchOutcome> =>
  inTransaction(context.pool, async (client): Promise<BatchOutcome> => {
    const row = context.shard
      ? await loadShardCursor(client, context.set.id, context.shard, true)
      : (
          await client.query<{ position: string; status: string }>(
            'SELECT position, status FROM projection_checkpoints WHERE table_set = $1 FOR UPDATE',
            [context.set.id],
          )
        ).rows[0];
    if (!row || BigInt(row.position) !== expected || row.status === 'failed' || row.status === 'built') {
      return { kind: 'stale' };
    }
    const result = await work(client);
    if (result.kind === 'stale') return result;
    if (context.shard) {
      await saveShard(client, context.set.id, context.shard, result);
      if (result.kind === 'failed') await saveFailure(client, context.set.id, result);
    } else await saveCheckpoint(client, context.set.id, result);
    return result;
  }).then((result) => {
    if (result.kind !== 'stale' && context.set.kind === 'live')
      announceCheckpoint(context.pool, context.projection.name);
    return result;
  });

const saveCheckpoint = async (
  client: PoolClient,
  tableSet: string,
  result: Exclude<BatchOutcome, { kind: 'stale' }>,
): Promise<void> => {
  const failed = result.kind === 'failed';
  await client.query(
    `UPDATE projection_checkpoints
        SET position = $2, events_applied = events_applied + $3, updated_at = now(),
            last_event_at = coalesce($9, last_event_at),
            status = CASE WHEN $4 THEN 'failed' ELSE status END,
            error = $5, failed_position = $6, failed_event_id = $7, failed_tenant = $8
      WHERE table_set = $1`,
    [
      tableSet,
      String(result.position),
      result.events,
      failed,
      failed ? result.error : null,
      failed ? String(result.failedAt.position) : null,
      failed ? result.failedAt.eventId : null,
      failed ? result.failedAt.metadata.tenant : null,
      result.lastEventAt ?? null,
    ],
  );
};

/** A shard that stops at a poison event stops the whole set: its row says failed, and why, for every shard. */
const saveFailure = async (
  client: PoolClient,
  tableSet: string,
  result: Extract<BatchOutcome, { kind: 'failed' }>,
): Promise<void> => {
  await client.query(
    `UPDATE projection_checkpoints
        SET status = 'failed', error = $2, failed_position = $3, failed_event_id = $4, failed_tenant = $5,
            updated_at = now()
      WHERE table_set = $1`,
    [
      tableSet,
      result.error,
      String(result.failedAt.position),
      result.failedAt.eventId,
      result.failedAt.metadata.tenant,
    ],
  );
};

/** Errors PostgreSQL raises because of the data (bad value, constraint, undefined column): retrying will not help. */
export const isDataError = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|42|P0|KS)/.test(code);
};
