/**
 * npm run bench:rebuild — issue 5's rebuild benchmark. Generates ten school years of kulturskole history for eight
 * Trondheim-sized municipalities (tenants; one deployment serves many) — at least 1,000,000 events of enrolment,
 * waitlist, Kulturdag and funding — then rebuilds the statistics, waitlist and fee-waiver read models from scratch,
 * and in the same run reads the same events sequentially with no handler. Prints events/s of both and
 * `ratio: <rebuild/bare>`. BENCH_TENANTS and BENCH_YEARS scale it down for a quick look.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { auditMentionsProjection } from '#libs/audit';
import { createPool, migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, tenantShardOf } from '#libs/event-store';
import { fundingMigrations } from '#libs/funding';
import { DEFAULT_BATCH_SIZE, eventTypesOf, projectionsMigrations } from '#libs/projections';
import { statisticsMigrations } from '#libs/statistics';
import { statisticsHistory } from '../libs/statistics/src/fixtures/statistics-history.js';
import { benchDatabase } from './bench-database.js';
import { idsOfYear } from './country-history.js';
import { processCpu, serverCpu, serverCpuSince } from './cpu-use.js';
import { appendByStream, benchProjections, rebuildLive, untilCaughtUp } from './history-append.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 8);
const YEARS = Number(process.env.BENCH_YEARS ?? 10);
// The projector's own batch size by default, so the benchmark measures what a deployment runs.
const PAGE = Number(process.env.BENCH_BATCH ?? DEFAULT_BATCH_SIZE);
const projections = benchProjections;

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
        // Each year opens its own offerings: without this, every year would reuse the first year's ids and streams.
        idsOfYear(history, year);
        return appendByStream(store, history);
      }),
    );
    total += stored.reduce((sum, n) => sum + n, 0);
  }
  console.log(
    `history: ${total} events (${YEARS} school years × ${TENANTS} Trondheim-sized tenants) stored in ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  // Settle the store before measuring: a first scan after a bulk append sets hint bits (writing every page again) and
  // autovacuum then visits the same tables, either of which landed in whichever read ran first and made runs differ by
  // a factor of three.
  const settled = Date.now();
  await pool.query('VACUUM (ANALYZE) es_events, es_streams');
  await pool.query('CHECKPOINT');
  console.log(`store vacuumed and checkpointed in ${((Date.now() - settled) / 1000).toFixed(0)} s (not counted)`);
  const types = [...new Set(projections.flatMap((p) => eventTypesOf(p) ?? []))];

  // Each line also says where the CPU went, per event: this process (pg's row parsing, the handlers, the change sets)
  // and the database server's processes. Whichever is near the wall time is what limits the rate.
  const timed = async (label: string, run: () => Promise<number>) => {
    const ownBefore = process.cpuUsage();
    const serverBefore = serverCpu();
    const t0 = process.hrtime.bigint();
    const events = await run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const own = process.cpuUsage(ownBefore);
    const server = serverCpuSince(serverBefore);
    const perEvent = (cpuSeconds: number) => ((cpuSeconds * 1e6) / events).toFixed(1).padStart(5);
    console.log(
      `${label.padEnd(46)} ${String(events).padStart(8)} events in ${seconds.toFixed(1).padStart(6)} s  ${(events / seconds).toFixed(0).padStart(8)} events/s` +
        `  (µs per event: wall ${perEvent(seconds)}, CPU here ${perEvent((own.user + own.system) / 1e6)}, PostgreSQL ${perEvent(server)})`,
    );
    return { events, seconds, cpuSeconds: (own.user + own.system) / 1e6 + server };
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
  // Each rebuild right after the bare read of its events: this VM's speed drifts by a third within minutes (bench
  // history in docs/scaling.md), and a pair measured together drifts together.
  let bareEvents = 0;
  let bareSeconds = 0;
  let rebuiltEvents = 0;
  let rebuiltSeconds = 0;
  let rebuiltCpuSeconds = 0;
  for (const projection of projections) {
    const bare = await timed(`bare read of ${projection.name}'s events`, bareRead(eventTypesOf(projection)));
    bareEvents += bare.events;
    bareSeconds += bare.seconds;
    const run = await timed(`rebuild ${projection.name} from scratch`, () =>
      rebuildLive(pool, store, projection, PAGE),
    );
    rebuiltEvents += run.events;
    rebuiltSeconds += run.seconds;
    rebuiltCpuSeconds += run.cpuSeconds;
  }
  const bareRate = bareEvents / bareSeconds;
  const rebuildRate = rebuiltEvents / rebuiltSeconds;
  console.log(`\nbare sequential read: ${bareRate.toFixed(0)} events/s   rebuild: ${rebuildRate.toFixed(0)} events/s`);
  console.log(`ratio: ${(rebuildRate / bareRate).toFixed(2)}`);
  // What the machine allows: a rebuild that kept every core busy with no wait would still need the CPU it used.
  const cores = availableParallelism();
  const fastest = rebuiltCpuSeconds / cores;
  console.log(
    `ceiling: ${(rebuiltEvents / fastest / bareRate).toFixed(2)} — the rebuild used ` +
      `${((rebuiltCpuSeconds * 1e6) / rebuiltEvents).toFixed(1)} µs of CPU per event (here and in PostgreSQL); on ` +
      `${cores} cores with none idle it could not take less than ${fastest.toFixed(1)} s (it took ${rebuiltSeconds.toFixed(1)} s)`,
  );

  // The audit's index reads every event; measured beside the three read models, not in their ratio.
  const indexBare = await timed('bare read of every event', bareRead(null));
  const index = await timed(`rebuild ${auditMentionsProjection.name} from scratch`, () =>
    rebuildLive(pool, store, auditMentionsProjection, PAGE),
  );
  const indexRatio = index.events / index.seconds / (indexBare.events / indexBare.seconds);
  console.log(`audit_mentions ratio: ${indexRatio.toFixed(2)} (rebuild / bare read of every event)`);

  // Scaling out (ADR 0020): the three read models rebuilt at a fresh version by one projector process, then split by
  // tenant into two shards run by two processes. OS processes, so each has a core for its handlers; PostgreSQL and
  // the processes share this machine's cores.
  const tenants = Array.from({ length: TENANTS }, (_, t) => `kommune${t}`);
  const projector = fileURLToPath(new URL('./projector-process.js', import.meta.url));
  const rebuildBy = async (version: number, homes: (number | undefined)[]) => {
    const before = serverCpu();
    const started = process.hrtime.bigint();
    const children = homes.map((home) =>
      spawn(process.execPath, [projector], {
        env: {
          ...process.env,
          BENCH_DATABASE_URL: database.url,
          BENCH_VERSION: String(version),
          BENCH_SHARDS: String(homes.length),
          ...(home === undefined ? {} : { BENCH_HOME_SHARDS: String(home) }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    await Promise.all(children.map((child) => once(child.stdout, 'data')));
    let applied = 0;
    for (const projection of projections) {
      // Switched: caught up, logged and indexed (ADR 0023), as a new version must be before it serves.
      const checkpoint = await untilCaughtUp(
        pool,
        `${projection.name}@v${version}`,
        projection,
        (row) => row.status === 'running',
      );
      applied += Number(checkpoint.events_applied);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const projectorCpu = children.map((child) => processCpu(child.pid));
    const serverSeconds = serverCpuSince(before);
    const cpuSeconds = projectorCpu.reduce((sum, n) => sum + n, 0) + serverSeconds;
    const own = projectorCpu.map((n) => n.toFixed(0)).join(' + ');
    const cpu = `CPU: projectors ${own} s, PostgreSQL ${serverSeconds.toFixed(0)} s of ${(cores * seconds).toFixed(0)} core-s`;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => once(child, 'exit')));
    return { applied, seconds, rate: applied / seconds, cpu, cpuSeconds };
  };
  const one = await rebuildBy(101, [undefined]);
  console.log(
    `${'three read models rebuilt by one projector process'.padEnd(60)} ${one.applied} events in ${one.seconds.toFixed(1)} s  ${one.rate.toFixed(0)} events/s; ${one.cpu}`,
  );
  const two = await rebuildBy(102, [0, 1]);
  const perShard = [0, 1].map((shard) => tenants.filter((tenant) => tenantShardOf(tenant, 2) === shard).length);
  console.log(
    `${'… by two, one shard each'.padEnd(60)} ${two.applied} events in ${two.seconds.toFixed(1)} s  ${two.rate.toFixed(0)} events/s` +
      `; ${two.cpu}; tenants per shard: ${perShard.join(' and ')}`,
  );
  console.log(`scale-out ratio: ${(two.rate / one.rate).toFixed(2)} (two projector processes / one; goal >= 1.5)`);
  console.log(
    `scale-out ceiling: ${((one.seconds * cores) / one.cpuSeconds).toFixed(2)} — one process and PostgreSQL already ` +
      `kept ${one.cpuSeconds.toFixed(0)} of ${(cores * one.seconds).toFixed(0)} core-seconds busy; more processes can ` +
      `only fill the rest`,
  );
} finally {
  await pool.end();
  await database.stop();
}
