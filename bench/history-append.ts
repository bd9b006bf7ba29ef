import { setTimeout as sleep } from 'node:timers/promises';
import type { createPool } from '#libs/database';
import type { NewEvent, PostgresEventStore } from '#libs/event-store';
import { eventIdFor, newCommandId } from '#libs/platform';
import { feeWaiversProjection } from '#libs/funding';
import { liveTableSet, loadCheckpoint, measureLag, ProjectionRunner, type Projection } from '#libs/projections';
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
    for (;;) {
      const checkpoint = await loadCheckpoint(pool, liveTableSet(projection).id);
      if (checkpoint?.status === 'failed') throw new Error(`${projection.name} failed: ${checkpoint.error ?? ''}`);
      const lag = checkpoint && (await measureLag(pool, BigInt(checkpoint.position), projection.eventTypes));
      // Done when it could serve as well as a set built any other way: caught up, logged and with its indexes.
      if (checkpoint && lag?.events === 0 && (await ready(pool, projection))) return Number(checkpoint.events_applied);
      await sleep(10);
    }
  } finally {
    await runner.stop();
  }
};
