/**
 * npm run bench:rebuild — issue 5's rebuild benchmark. Generates ten school years of kulturskole history for eight
 * Trondheim-sized municipalities (tenants; one deployment serves many) — at least 1,000,000 events of enrolment,
 * waitlist, Kulturdag and funding — then rebuilds the statistics, waitlist and fee-waiver read models from scratch,
 * and in the same run reads the same events sequentially with no handler. Prints events/s of both and
 * `ratio: <rebuild/bare>`. BENCH_TENANTS and BENCH_YEARS scale it down for a quick look.
 */
import { auditMentionsProjection } from '#libs/audit';
import { createPool, migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import { feeWaiversProjection, fundingMigrations } from '#libs/funding';
import { eventTypesOf, projectionsMigrations, type Projection } from '#libs/projections';
import { statisticsMigrations, statisticsProjection } from '#libs/statistics';
import { waitlistQueueProjection } from '#libs/waitlist';
import { statisticsHistory } from '../libs/statistics/src/fixtures/statistics-history.js';
import { benchDatabase } from './bench-database.js';
import { appendByStream, rebuildLive } from './history-append.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 8);
const YEARS = Number(process.env.BENCH_YEARS ?? 10);
const PAGE = Number(process.env.BENCH_BATCH ?? 5_000);
const projections: Projection[] = [statisticsProjection, waitlistQueueProjection, feeWaiversProjection];

const database = await benchDatabase('rebuild');
const pool = createPool(database.url, { max: 12 });
try {
  await migrate(pool, [
    ...eventStoreMigrations,
    ...projectionsMigrations,
    ...fundingMigrations,
    ...statisticsMigrations,
  ]);
  const store = new PostgresEventStore(pool);
  const started = Date.now();
  let total = 0;
  for (let year = 2015; year < 2015 + YEARS; year++) {
    const stored = await Promise.all(
      Array.from({ length: TENANTS }, async (_, t) => {
        const history = statisticsHistory({
          tenant: `kommune${t}`,
          seed: year * 100 + t,
          year,
          offerings: 330,
          students: 3_700,
          applications: 1_600,
          kulturdagSchools: 14,
          pupilsPerSchool: 55,
          waivers: 280,
        });
        return appendByStream(store, history);
      }),
    );
    total += stored.reduce((sum, n) => sum + n, 0);
  }
  console.log(
    `history: ${total} events (${YEARS} school years × ${TENANTS} Trondheim-sized tenants) stored in ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const types = [...new Set(projections.flatMap((p) => eventTypesOf(p) ?? []))];

  const timed = async (label: string, run: () => Promise<number>) => {
    const t0 = process.hrtime.bigint();
    const events = await run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(
      `${label.padEnd(46)} ${String(events).padStart(8)} events in ${seconds.toFixed(1).padStart(6)} s  ${(events / seconds).toFixed(0).padStart(8)} events/s`,
    );
    return { events, seconds };
  };
  // Bare: every event any of the three read models reads, in pages, no handler — once per projection, as rebuilding
  // reads them once per projection too.
  const bareRead = (eventTypes: readonly string[] | null) => async () => {
    let count = 0;
    let fromPosition: bigint | undefined;
    for (;;) {
      const page = await store.readAll({
        fromPosition,
        maxCount: PAGE,
        filter: eventTypes ? { eventTypes } : undefined,
      });
      count += page.events.length;
      if (page.isEnd || page.lastPosition === undefined) return count;
      fromPosition = page.lastPosition;
    }
  };
  await timed('warm-up read (not counted)', bareRead(types));
  let bareEvents = 0;
  let bareSeconds = 0;
  for (const projection of projections) {
    const run = await timed(`bare read of ${projection.name}'s events`, bareRead(eventTypesOf(projection)));
    bareEvents += run.events;
    bareSeconds += run.seconds;
  }
  let rebuiltEvents = 0;
  let rebuiltSeconds = 0;
  for (const projection of projections) {
    const run = await timed(`rebuild ${projection.name} from scratch`, () =>
      rebuildLive(pool, store, projection, PAGE),
    );
    rebuiltEvents += run.events;
    rebuiltSeconds += run.seconds;
  }
  const bareRate = bareEvents / bareSeconds;
  const rebuildRate = rebuiltEvents / rebuiltSeconds;
  console.log(`\nbare sequential read: ${bareRate.toFixed(0)} events/s   rebuild: ${rebuildRate.toFixed(0)} events/s`);
  console.log(`ratio: ${(rebuildRate / bareRate).toFixed(2)}`);

  // The audit's index reads every event; measured beside the three read models, not in their ratio.
  const indexBare = await timed('bare read of every event', bareRead(null));
  const index = await timed(`rebuild ${auditMentionsProjection.name} from scratch`, () =>
    rebuildLive(pool, store, auditMentionsProjection, PAGE),
  );
  const indexRatio = index.events / index.seconds / (indexBare.events / indexBare.seconds);
  console.log(`audit_mentions ratio: ${indexRatio.toFixed(2)} (rebuild / bare read of every event)`);
} finally {
  await pool.end();
  await database.stop();
}
