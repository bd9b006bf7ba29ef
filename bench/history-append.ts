import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { createPool } from '#libs/database';
import type { NewEvent, PostgresEventStore } from '#libs/event-store';
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
 * streams at once; fresh event ids, since the generator's seeded ids are meant for one year of one tenant.
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
    events.push({ ...event, eventId: randomUUID() });
  }
  const streams = [...byStream.entries()];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < streams.length; i = next++) {
        const [stream, events] = streams[i] ?? ['', []];
        for (let start = 0; start < events.length; start += 500) {
          await store.appendToStream(stream, events.slice(start, start + 500), { expectedRevision: 'any' });
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
      if (checkpoint && lag?.events === 0) return Number(checkpoint.events_applied);
      await sleep(10);
    }
  } finally {
    await runner.stop();
  }
};
