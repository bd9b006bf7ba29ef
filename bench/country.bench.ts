/**
 * npm run bench:country — issue 18's "A country". Generates Norway (356 municipalities as tenants, ~100,000 students,
 * a few large and many small; ten school years, 10M+ events: bench/country-history.ts), and measures what grows with
 * the country rather than with one municipality:
 *
 *   1. append: events/s of the first 1% of the events (empty store) and of the last 1% (the same municipalities,
 *      everything else stored), the same batched appends stream by stream; the ratio's empty side is measured again
 *      right after the full one, in a fresh database on the same server, so both sides see the same machine;
 *   2. rebuild of every read model (statistics, waitlist queue, fee waivers) of the whole country;
 *   3. one tenant's rebuild (an as-of build of its statistics until now) with 356 tenants stored, and with only it;
 *   4. that tenant's dashboard (the five queries of bench:query via the query API, autocannon) with 356 tenants
 *      stored and with only it, plus each query's first, uncached answer and its SQL alone (the API caches by ETag).
 *
 * Prints the figures and three `ratio:` lines. Scale it with BENCH_TENANTS (the largest N municipalities), BENCH_SCALE
 * (students × this), BENCH_YEARS, BENCH_CHUNK_PERCENT (share of the events timed at each end of the append),
 * BENCH_APPEND_WORKERS, BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_PG_SETTINGS (the embedded server's settings).
 * Uses DATABASE_URL's server or one embedded server for both databases (the country, and the one tenant alone),
 * dropped at the end.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPool, migrate, startEmbeddedPostgres, type Pool } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import { feeWaiversProjection, fundingMigrations } from '#libs/funding';
import { createHttpApp, issueToken, loadConfig, startRuntime } from '#libs/platform';
import { buildAsOf, projectionsMigrations, type Projection } from '#libs/projections';
import { pagingOf, runList } from '#libs/query';
import {
  breakdownSpec,
  coverage,
  demographics,
  statisticsMigrations,
  statisticsProjection,
  summary,
} from '#libs/statistics';
import { freePort } from '#libs/testing';
import { waitlistQueueProjection } from '#libs/waitlist';
import { HISTORY_DISTRICTS, type TimedEvent } from '../libs/statistics/src/fixtures/statistics-history.js';
import { autocannon, BenchStatisticsApp, type CannonResult } from './statistics-load.js';
import { benchDatabase, percentile } from './bench-database.js';
import { countryYear, municipalities, type Municipality } from './country-history.js';
import { appendByStream, rebuildLive } from './history-append.js';
import { ioBetween, ioSnapshot, printIo, reported, type StoreIo } from './store-io.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 356);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const YEARS = Number(process.env.BENCH_YEARS ?? 10);
const CHUNK_PERCENT = Number(process.env.BENCH_CHUNK_PERCENT ?? 1);
const WORKERS = Number(process.env.BENCH_APPEND_WORKERS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const PAGE = 5_000;
// The embedded server's settings beyond its defaults, e.g. BENCH_PG_SETTINGS="shared_buffers=4GB max_wal_size=8GB".
const SERVER_SETTINGS = (process.env.BENCH_PG_SETTINGS ?? '').split(/\s+/).filter(Boolean);
// The last school year is 2025-2026, the one the dashboard asks about.
const FIRST_YEAR = 2026 - YEARS;
const SCOPE = { schoolYear: '2025-2026', date: '2025-11-20' };
const DASHBOARD = [
  '/statistics/summary',
  '/statistics/breakdown/subjectGroup',
  '/statistics/breakdown/district',
  '/statistics/coverage',
  '/statistics/demographics',
].map((route) => `${route}?schoolYear=${SCOPE.schoolYear}&date=${SCOPE.date}`);
const projections: Projection[] = [statisticsProjection, waitlistQueueProjection, feeWaiversProjection];

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const rate = (events: number, s: number) => `${(events / s).toFixed(0)} events/s`;

/**
 * The municipalities in a fixed shuffled order, cut into groups of about CHUNK_PERCENT of all events each (a group's
 * year is its share of the students ÷ YEARS). Even years go through the groups forwards, odd years backwards, so the
 * last group appended (at the end) is the first one appended (into the empty store): the two rates compare like with
 * like.
 */
const appendGroups = (country: Municipality[]): Municipality[][] => {
  let seed = 18;
  const order = country
    .map((m) => ({ m, key: (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) }))
    .sort((a, b) => a.key - b.key)
    .map(({ m }) => m);
  const total = country.reduce((sum, m) => sum + m.students, 0);
  const target = (total * CHUNK_PERCENT * YEARS) / 100;
  const groups: Municipality[][] = [[]];
  let size = 0;
  for (const m of order) {
    if (size >= target) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)?.push(m);
    size += m.students;
  }
  return groups;
};

interface Appended {
  events: number;
  appendSeconds: number;
  wallSeconds: number;
  first: { events: number; seconds: number; io?: StoreIo };
  last: { events: number; seconds: number; storedBefore: number; io?: StoreIo };
  /** The last group's events, appended again into an empty store right after, for the ratio. */
  lastHistory: TimedEvent[];
}

/** Appends the whole country year by year, timing each group's append alone (its generation is not counted). */
const appendCountry = async (pool: Pool, store: PostgresEventStore, country: Municipality[]): Promise<Appended> => {
  const groups = appendGroups(country);
  const started = process.hrtime.bigint();
  const timed: { events: number; seconds: number; storedBefore: number; io?: StoreIo }[] = [];
  let stored = 0;
  let lastHistory: TimedEvent[] = [];
  for (let y = 0; y < YEARS; y++) {
    const year = FIRST_YEAR + y;
    const order = y % 2 === 0 ? groups : [...groups].reverse();
    for (const [g, group] of order.entries()) {
      const members = y % 2 === 0 ? group : [...group].reverse();
      const history = members.flatMap((m) => countryYear(m, year));
      lastHistory = history;
      // The two ends compared are also looked into (not timed): what the server wrote and read for them.
      const watched = (y === 0 && g === 0) || (y === YEARS - 1 && g === order.length - 1);
      const before = watched ? await ioSnapshot(pool) : undefined;
      const t0 = process.hrtime.bigint();
      await appendByStream(store, history, WORKERS);
      const elapsed = seconds(t0);
      let io: StoreIo | undefined;
      if (before) {
        await reported(pool);
        io = ioBetween(before, await ioSnapshot(pool));
      }
      timed.push({ events: history.length, seconds: elapsed, storedBefore: stored, ...(io ? { io } : {}) });
      stored += history.length;
    }
    console.log(`  school year ${year}-${year + 1}: ${stored} events stored, ${seconds(started).toFixed(0)} s`);
  }
  const first = timed[0] ?? { events: 0, seconds: 1 };
  const last = timed.at(-1) ?? { events: 0, seconds: 1, storedBefore: 0 };
  return {
    events: stored,
    appendSeconds: timed.reduce((sum, t) => sum + t.seconds, 0),
    wallSeconds: seconds(started),
    first,
    last,
    lastHistory,
  };
};

/** A fresh database with the event store and the read models' tables. */
const openDatabase = async (label: string) => {
  const database = await benchDatabase(label);
  const pool = createPool(database.url, { max: 12 });
  await migrate(pool, [
    ...eventStoreMigrations,
    ...projectionsMigrations,
    ...fundingMigrations,
    ...statisticsMigrations,
  ]);
  return { ...database, pool, store: new PostgresEventStore(pool) };
};

/** One tenant's statistics built from scratch up to now, as GET …?asOf= would: its own schema, its events only. */
const asOfBuild = async (pool: Pool, store: PostgresEventStore, tenant: string, name: string) => {
  const t0 = process.hrtime.bigint();
  const build = await buildAsOf(pool, store, statisticsProjection, { tenant, name, until: new Date() });
  if (build.status !== 'built') throw new Error(`as-of build ${name}: ${build.status} ${build.error ?? ''}`);
  return { events: Number(build.events_applied), seconds: seconds(t0) };
};

/** The five dashboard queries' SQL alone (the same query functions the API runs), median of 15 after one. */
const sqlAlone = async (pool: Pool, tenant: string): Promise<number[]> => {
  const tables = (name: string) => `"public"."${name}"`;
  const list = (dimension: 'subjectGroup' | 'district') => () =>
    runList(pool, breakdownSpec(tables, SCOPE, dimension), { tenant, filters: {}, paging: pagingOf({}) });
  const queries = [
    () => summary(pool, tables, tenant, SCOPE),
    list('subjectGroup'),
    list('district'),
    () => coverage([...HISTORY_DISTRICTS])(pool, tables, tenant, SCOPE),
    () => demographics(pool, tables, tenant, SCOPE),
  ];
  const medians: number[] = [];
  for (const query of queries) {
    const times: number[] = [];
    for (let i = 0; i < 16; i++) {
      const t0 = performance.now();
      await query();
      if (i > 0) times.push(performance.now() - t0);
    }
    medians.push(
      percentile(
        times.sort((a, b) => a - b),
        50,
      ),
    );
  }
  return medians;
};

interface DashboardFigures {
  firstMs: number[];
  sqlMs: number[];
  load: CannonResult;
}

/** The tenant's dashboard through the query API on one database: first answers, SQL alone, then under load. */
const dashboard = async (url: string, tenant: string): Promise<DashboardFigures> => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-bench-country-'));
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
  const runtime = await startRuntime(config, {
    migrations: [...projectionsMigrations, ...statisticsMigrations],
    applicationName: 'bench-country',
  });
  try {
    const app = await createHttpApp(BenchStatisticsApp.forRuntime(runtime), runtime);
    await app.listen(0, '127.0.0.1');
    try {
      if (!runtime.localKey) throw new Error('the bench runs with the local key');
      const token = await issueToken(
        runtime.localKey,
        { subject: 'bench', tenant, role: 'auditor' },
        { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '1h' },
      );
      const apiUrl = await app.getUrl();
      const headers = { authorization: `Bearer ${token}` };
      // A warm-up pass on another day (answers are cached per query), so the first answers timed are not the app's first.
      for (const route of DASHBOARD)
        await (await fetch(`${apiUrl}${route.replace(SCOPE.date, '2025-11-19')}`, { headers })).text();
      const firstMs: number[] = [];
      for (const route of DASHBOARD) {
        const t0 = performance.now();
        const response = await fetch(`${apiUrl}${route}`, { headers });
        await response.text();
        if (!response.ok) throw new Error(`${route}: ${response.status}`);
        firstMs.push(performance.now() - t0);
      }
      const sqlMs = await sqlAlone(runtime.pool, tenant);
      const requests = DASHBOARD.map((route) => ({ method: 'GET', path: route }));
      await autocannon({ url: apiUrl, connections: CONNECTIONS, duration: 2, requests, headers }); // warm-up
      const load = await autocannon({ url: apiUrl, connections: CONNECTIONS, duration: SECONDS, requests, headers });
      if (load.non2xx > 0 || load.errors > 0) throw new Error(`${load.non2xx} non-2xx answers, ${load.errors} errors`);
      return { firstMs, sqlMs, load };
    } finally {
      await app.close();
    }
  } finally {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

const printDashboard = (label: string, figures: DashboardFigures) => {
  const { firstMs, sqlMs, load } = figures;
  console.log(
    `${label.padEnd(24)} p50 ${String(load.latency.p50).padStart(4)} ms   p99 ${String(load.latency.p99).padStart(4)} ms   ` +
      `${load.requests.average.toFixed(0).padStart(6)} requests/s`,
  );
  DASHBOARD.forEach((route, i) =>
    console.log(
      `  ${route.split('?')[0]?.padEnd(36)} first answer ${firstMs[i]?.toFixed(0).padStart(5)} ms   ` +
        `SQL alone ${sqlMs[i]?.toFixed(1).padStart(7)} ms (median)`,
    ),
  );
};

// One server for both databases, so the two sides of each ratio share its memory and disks.
let stopServer = async () => undefined as void;
let serverDir: string | undefined;
if (!process.env.DATABASE_URL) {
  serverDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-bench-country-pg-'));
  await chmod(serverDir, 0o755); // as root the server runs as the postgres user
  const server = await startEmbeddedPostgres({
    dataDir: path.join(serverDir, 'pg'),
    port: await freePort(),
    settings: SERVER_SETTINGS,
  });
  process.env.DATABASE_URL = server.url;
  stopServer = () => server.stop();
}
const country = municipalities(TENANTS, SCALE);
// A medium municipality: the 18th largest of 356 (~1,000 students, a town like Ålesund).
const focus = country[Math.max(0, Math.ceil(TENANTS / 20) - 1)] ?? country[0];
if (!focus) throw new Error('BENCH_TENANTS must be at least 1');
const whole = await openDatabase('country');
const alone = await openDatabase('one');
try {
  const students = country.reduce((sum, m) => sum + m.students, 0);
  console.log(
    `country: ${country.length} municipalities, ${students} students (largest ${country[0]?.students}, ` +
      `smallest ${country.at(-1)?.students}), ${YEARS} school years; the tenant measured: ${focus.tenant} ` +
      `(${focus.students} students)`,
  );
  const { rows: settings } = await whole.pool.query<{ name: string; value: string }>(
    `SELECT name, current_setting(name) AS value FROM pg_settings
      WHERE name IN ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression') ORDER BY name`,
  );
  console.log(`server: ${settings.map((s) => `${s.name}=${s.value}`).join(', ')}`);

  // The same tenant alone first (the same generated years, its live statistics for the dashboard): it also warms up
  // this process and the server, so the first timed country append is not the process's first append.
  let aloneEvents = 0;
  for (let year = FIRST_YEAR; year < FIRST_YEAR + YEARS; year++)
    aloneEvents += await appendByStream(alone.store, countryYear(focus, year), WORKERS);
  await rebuildLive(alone.pool, alone.store, statisticsProjection, PAGE);
  console.log(`${focus.tenant} alone: ${aloneEvents} events in a database of its own`);

  // 1. Append.
  const appended = await appendCountry(whole.pool, whole.store, country);
  console.log(
    `history: ${appended.events} events stored in ${appended.wallSeconds.toFixed(0)} s ` +
      `(${appended.appendSeconds.toFixed(0)} s appending, ${rate(appended.events, appended.appendSeconds)}; the rest generating)`,
  );
  const lastRate = appended.last.events / appended.last.seconds;
  // The empty store measured again right after the full one: the two ends of the append are twenty minutes apart,
  // and this VM's speed drifts by a third within minutes. The same events into a fresh database on the same server.
  const empty = await openDatabase('empty');
  let emptyAgain: { events: number; seconds: number };
  try {
    const t0 = process.hrtime.bigint();
    const events = await appendByStream(empty.store, appended.lastHistory, WORKERS);
    emptyAgain = { events, seconds: seconds(t0) };
  } finally {
    await empty.pool.end();
    await empty.stop();
  }
  const emptyRate = emptyAgain.events / emptyAgain.seconds;
  const startRate = appended.first.events / appended.first.seconds;
  console.log(
    `append at empty store:          ${appended.first.events} events, ${rate(appended.first.events, appended.first.seconds)} ` +
      `at the start; the last group again into an empty store right after the full one: ${emptyAgain.events} events, ` +
      `${rate(emptyAgain.events, emptyAgain.seconds)}`,
  );
  console.log(
    `append at ${appended.last.storedBefore} events stored: ${appended.last.events} events, ` +
      `${rate(appended.last.events, appended.last.seconds)}`,
  );
  if (appended.first.io) printIo('empty', appended.first.io, appended.first.events);
  if (appended.last.io) printIo('full', appended.last.io, appended.last.events);
  console.log(
    `ratio: ${(lastRate / emptyRate).toFixed(2)} (append rate at ${appended.last.storedBefore} events stored / at empty, ` +
      `measured one after the other; against the start of the run: ${(lastRate / startRate).toFixed(2)}; goal >= 0.9)`,
  );

  // 2. Rebuild every read model of the country.
  let rebuilt = 0;
  const rebuildStarted = process.hrtime.bigint();
  for (const projection of projections) {
    const t0 = process.hrtime.bigint();
    const events = await rebuildLive(whole.pool, whole.store, projection, PAGE);
    rebuilt += events;
    console.log(
      `rebuild ${projection.name.padEnd(16)} ${events} events in ${seconds(t0).toFixed(1)} s, ${rate(events, seconds(t0))}`,
    );
  }
  const rebuildSeconds = seconds(rebuildStarted);
  console.log(
    `rebuild of every read model: ${rebuilt} events in ${rebuildSeconds.toFixed(1)} s, ${rate(rebuilt, rebuildSeconds)}`,
  );

  // Autovacuum would have analysed the tables by now in production; the planner needs the statistics either way.
  await whole.pool.query('ANALYZE');
  await alone.pool.query('ANALYZE');

  // 3. One tenant's rebuild, alternating the two databases; the second of each is the one compared (warm caches).
  const builds = {
    whole: [] as { events: number; seconds: number }[],
    alone: [] as { events: number; seconds: number }[],
  };
  for (const run of [1, 2]) {
    builds.alone.push(await asOfBuild(alone.pool, alone.store, focus.tenant, `bench_${run}`));
    builds.whole.push(await asOfBuild(whole.pool, whole.store, focus.tenant, `bench_${run}`));
  }
  for (const [label, runs] of [
    [`with ${TENANTS} tenants stored`, builds.whole],
    ['with it alone', builds.alone],
  ] as const)
    console.log(
      `${focus.tenant}'s rebuild (as-of statistics) ${label.padEnd(24)} ${runs.map((r) => `${r.seconds.toFixed(2)} s`).join(', ')} ` +
        `(${runs[0]?.events} events applied)`,
    );
  const wholeBuild = builds.whole[1]?.seconds ?? NaN;
  const aloneBuild = builds.alone[1]?.seconds ?? NaN;
  console.log(
    `ratio: ${(wholeBuild / aloneBuild).toFixed(2)} (one tenant's rebuild, ${TENANTS} tenants stored / one; goal <= 2)`,
  );

  // 4. The tenant's dashboard.
  console.log(
    `dashboard of ${focus.tenant}: ${CONNECTIONS} connections, ${SECONDS} s, cycling ${DASHBOARD.length} queries`,
  );
  const withOne = await dashboard(alone.url, focus.tenant);
  printDashboard('with it alone', withOne);
  const withAll = await dashboard(whole.url, focus.tenant);
  printDashboard(`with ${TENANTS} tenants stored`, withAll);
  console.log(
    `ratio: ${(withAll.load.latency.p99 / Math.max(withOne.load.latency.p99, 1)).toFixed(2)} ` +
      `(dashboard p99, ${TENANTS} tenants / one; goal <= 1.5)`,
  );
} finally {
  await whole.pool.end();
  await alone.pool.end();
  await whole.stop();
  await alone.stop();
  await stopServer();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
}
