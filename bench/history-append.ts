import { setTimeout as sleep } from 'node:timers/promises';
import type { createPool } from '#libs/database';
import type { NewEvent, PostgresEventStore } from '#libs/event-store';
import { eventIdFor, newCommandId } from '#libs/platform';
import { feeWaiversProjection } from '#libs/funding';
import {
  eventTypesOf,
  liveTableSet,
  loadCheckpoint,
  measureLag,
  ProjectionRunner,
  type CheckpointRow,
  type Projection,
} from '#libs/projections';
import { statisticsProjection } from '#libs/statistics';
import { waitlistQueueProjection } from '#libs/waitlist';

/** The read models bench:rebuild measures: the statistics, the waitlist and the fee waivers. */
export const benchProjections: readonly Projection[] = [
  statisticsProjection,
  waitlistQueueProjection,
  feeWaiversProjection,
];

/**
 * Stores generated history stream by stream in appends of up to 500 (the order within each stream kept), `workers`
 * streams at once; fresh event ids, since the generator's seeded ids are meant for one year of one tenant, made as a
 * command makes them (each append one new command: its time-ordered id, and event ids derived from it).
 */
export const appendByStream = async (
  store: PostgresEventStore,
  history: readonly { stream: string; event: NewEvent }[],
  workers = 4,
): Promise<number> => {
  const byStream = new Map<string, NewEvent[]>();
  for (const { stream, event } of history) {
    const events = byStream.get(stream) ?? [];
    if (events.length === 0) byStream.set(stream, events);
    events.push(event);
  }
  const streams = [...byStream.entries()];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < streams.length; i = next++) {
        const [stream, events] = streams[i] ?? ['', []];
        for (let start = 0; start < events.length; start += 500) {
          const commandId = newCommandId();
          const append = events.slice(start, start + 500).map((event, index) => ({
            ...event,
            eventId: eventIdFor(commandId, stream, index),
          }));
          await store.appendToStream(stream, append, { expectedRevision: 'any' });
        }
      }
    }),
  );
  return history.length;
};

/**
 * Rebuilds one projection from scratch as the runner does (every tenant's events into a new live version) and
 * returns the events it applied once it has no lag left. (An as-of build holds one tenant's events only.)
 */
/** Whether the live set's tables are all logged and carry every index they declare (ADR 0023, table-set.ts). */
const ready = async (pool: ReturnType<typeof createPool>, projection: Projection): Promise<boolean> => {
  const set = liveTableSet(projection);
  const relations = projection.tables.map((table) => set.relation(table.name));
  const indexes = projection.tables.reduce((sum, table) => sum + 1 + (table.indexes?.length ?? 0), 0);
  const { rows } = await pool.query<{ unlogged: number; indexes: number }>(
    `SELECT count(*) FILTER (WHERE c.relpersistence = 'u')::int AS unlogged,
            (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = ANY (array_agg(c.oid))) AS indexes
       FROM pg_class c WHERE c.relname = ANY ($1) AND c.relkind = 'r'`,
    [relations],
  );
  return rows[0]?.unlogged === 0 && rows[0].indexes >= indexes;
};

export const rebuildLive = async (
  pool: ReturnType<typeof createPool>,
  store: PostgresEventStore,
  projection: Projection,
  batchSize: number,
): Promise<number> => {
  const runner = new ProjectionRunner(pool, store, [projection], { batchSize, idleMs: 5 });
  await runner.start();
  try {
    // Done when it could serve as well as a set built any other way: caught up, logged and with its indexes.
    const checkpoint = await untilCaughtUp(pool, liveTableSet(projection).id, projection, () =>
      ready(pool, projection),
    );
    return Number(checkpoint.events_applied);
  } finally {
    await runner.stop();
  }
};

/**
 * Waits until a table set has applied every stored event of its projection's types and `done` agrees, and returns its
 * checkpoint. It watches the checkpoint row against the last such event's position, found once, and counts the lag
 * only at the end: a count on every poll scans what is left of the log each time, and at 1M events those counts took
 * more of the database's CPU than the rebuild they watched. (Nothing is appended while a benchmark rebuilds.)
 */
export const untilCaughtUp = async (
  pool: ReturnType<typeof createPool>,
  tableSet: string,
  projection: Projection,
  done: (checkpoint: CheckpointRow) => Promise<boolean> | boolean,
): Promise<CheckpointRow> => {
  const { rows } = await pool.query<{ last: string | null }>(
    `SELECT max(position)::text AS last FROM es_events
      WHERE position < es_safe_horizon() AND ($1::text[] IS NULL OR event_type = ANY ($1))`,
    [eventTypesOf(projection)],
  );
  const last = BigInt(rows[0]?.last ?? '0');
  for (;;) {
    const checkpoint = await loadCheckpoint(pool, tableSet);
    if (checkpoint?.status === 'failed') throw new Error(`${tableSet} failed: ${checkpoint.error ?? ''}`);
    if (checkpoint && BigInt(checkpoint.position) >= last && (await done(checkpoint))) {
      const lag = await measureLag(pool, BigInt(checkpoint.position), projection.eventTypes);
      if (lag?.events !== 0) throw new Error(`${tableSet} stands past the last event yet lags by ${lag?.events}`);
      return checkpoint;
    }
    await sleep(10);
  }
};
