/**
 * Rebuild speed of the projection runner against a bare sequential read of the same events, in the same run:
 * BENCH_EVENTS (default 50,000) enrolment events, read with the same filter and page size. Prints events/s for both and
 * `ratio: <rebuild/bare>`. (Issue 5's full bench replaces the offerings model with statistics, waitlist and fee waivers.)
 */
import { createPool, migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import { appendHistory, offeringHistory } from '../libs/projections/src/fixtures/offering-history.js';
import { buildAsOf, offeringsProjection, projectionsMigrations } from '../libs/projections/src/index.js';
import { benchDatabase } from './bench-database.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const PAGE = Number(process.env.BENCH_BATCH ?? 2_000);
const PER_OFFERING = 100;

const database = await benchDatabase('rebuild');
const pool = createPool(database.url, { max: 8 });
try {
  await migrate(pool, [...eventStoreMigrations, ...projectionsMigrations]);
  const store = new PostgresEventStore(pool);
  const history = offeringHistory({ offerings: Math.ceil(EVENTS / PER_OFFERING), eventsPerOffering: PER_OFFERING });
  const appended = await appendHistory(store, history, { chunk: 500, concurrency: 8 });
  console.log(`history: ${appended} events in ${history.length} offering streams; page ${PAGE}`);
  const head = (await store.headPosition()) ?? 0n;

  const timed = async (label: string, run: () => Promise<number>) => {
    const started = process.hrtime.bigint();
    const events = await run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `${label.padEnd(34)} ${events} events in ${seconds.toFixed(2)} s  ${(events / seconds).toFixed(0).padStart(8)} events/s`,
    );
    return events / seconds;
  };
  const bareRead = () =>
    timed('bare readAll loop (no handler)', async () => {
      let count = 0;
      let fromPosition: bigint | undefined;
      for (;;) {
        const page = await store.readAll({
          fromPosition,
          maxCount: PAGE,
          filter: { eventTypes: offeringsProjection.eventTypes },
        });
        count += page.events.length;
        if (page.isEnd || page.lastPosition === undefined) return count;
        fromPosition = page.lastPosition;
      }
    });
  let run = 0;
  const rebuild = () =>
    timed('rebuild (offerings projection)', async () => {
      const build = await buildAsOf(
        pool,
        store,
        offeringsProjection,
        { name: `bench_${run++}`, until: head },
        { batchSize: PAGE },
      );
      return Number(build.events_applied);
    });

  await bareRead(); // warm the cache so neither run pays for the first read from disk
  const bare = await bareRead();
  const rebuilt = await rebuild();
  console.log(`ratio: ${(rebuilt / bare).toFixed(2)}`);
} finally {
  await pool.end();
  await database.stop();
}
