/**
 * npm run bench:query — the dashboard queries of the query API (Nest, auth, validation, freshness, ETag) under
 * concurrent load with autocannon, against a bare Fastify + pg server answering the same SQL, in the same run and on
 * the same Trondheim-sized data (~3,700 students, ~4,700 places, ~1,600 waiting, 14 Kulturdag schools). Prints
 * p50/p99 latency and requests/s for both, and `ratio:` lines (query API / bare). Also loads the API with
 * `If-None-Match` (304s), the first screen's reads (by date only) and the GSI count on 1 October (an as-of build), and
 * counts the database calls the API makes during each load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { TRONDHEIM_REGISTERS } from '#libs/municipality';
import { createHttpApp, issueToken, loadConfig, startRuntime } from '#libs/platform';
import { projectionsMigrations, ProjectionRunner } from '#libs/projections';
import { pagingOf, runList } from '#libs/query';
import {
  breakdownSpec,
  coverage,
  demographics,
  statisticsMigrations,
  statisticsProjection,
  summary,
  summarySteps,
  type StatisticsScope,
} from '#libs/statistics';
import { appendTimed, statisticsHistory } from '../libs/statistics/src/fixtures/statistics-history.js';
import { statisticsCaughtUp } from '../libs/statistics/src/fixtures/caught-up.js';
import { autocannon, BenchStatisticsApp } from './statistics-load.js';
import { benchDatabase } from './bench-database.js';

/** Counts calls of the named methods of an object (wrapping them in place). */
const countCalls = <T extends object>(target: T, methods: readonly (keyof T & string)[]): { count: number } => {
  const counter = { count: 0 };
  for (const method of methods) {
    const original = target[method] as (...args: unknown[]) => unknown;
    (target as Record<string, unknown>)[method] = (...args: unknown[]) => {
      counter.count += 1;
      return original.apply(target, args);
    };
  }
  return counter;
};

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SCOPE = 'schoolYear=2025-2026&date=2025-11-20';
const DASHBOARD = [
  `/statistics/summary?${SCOPE}`,
  `/statistics/breakdown/subjectGroup?${SCOPE}`,
  `/statistics/breakdown/district?${SCOPE}`,
  `/statistics/coverage?${SCOPE}`,
  `/statistics/demographics?${SCOPE}`,
];
// The GSI count as of 1 October, from an as-of build made by its first request (the build is in its first answer).
const ONE_OCTOBER = ['/statistics/gsi/2025'];
// The summary as of every day of the school year (a date picker, a chart over the year): ADR 0021's kept steps.
const EVERY_DAY = Array.from({ length: 365 }, (_, n) => {
  const date = new Date(Date.parse('2025-08-01T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
  return `/statistics/summary?schoolYear=2025-2026&date=${date}`;
});
// The statistics reads of the dashboard's first screen (Oversikt), as it asks them: by date only.
const FIRST_SCREEN = [
  '/statistics/summary?date=2025-11-20',
  '/statistics/coverage?date=2025-11-20',
  '/statistics/kulturdag?date=2025-11-20',
];

const database = await benchDatabase('query');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-bench-query-'));
const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
const runtime = await startRuntime(config, {
  migrations: [...projectionsMigrations, ...statisticsMigrations],
  applicationName: 'bench-query',
});
const stops: (() => Promise<void>)[] = [];
try {
  const history = statisticsHistory({
    tenant: 'trondheim',
    seed: 2019,
    year: 2025,
    offerings: 380,
    students: 3_700,
    applications: 1_600,
    kulturdagSchools: 14,
    pupilsPerSchool: 50,
    waivers: 250,
  });
  const appended = await appendTimed(runtime.store, history);
  const runner = new ProjectionRunner(runtime.pool, runtime.store, [statisticsProjection], { idleMs: 20 });
  const started = Date.now();
  await runner.start();
  await statisticsCaughtUp(runtime.pool, { pollMs: 50, tries: Infinity });
  await runner.stop();
  const figures = await summary(runtime.pool, (t) => `"public"."${t}"`, 'trondheim', {
    schoolYear: '2025-2026',
    date: '2025-11-20',
  });
  console.log(
    `data: ${appended} events projected in ${((Date.now() - started) / 1000).toFixed(1)} s; on 2025-11-20: ` +
      `${figures.students} students, ${figures.places} places, ${figures.waitingChildren} waiting children`,
  );

  // Every database call the query API makes (the pool is the app's only way to the database), counted per load.
  const databaseCalls = countCalls(runtime.pool, ['query', 'connect']);
  const app = await createHttpApp(BenchStatisticsApp.forRuntime(runtime), runtime);
  await app.listen(0, '127.0.0.1');
  stops.push(() => app.close());
  const key = runtime.localKey;
  if (!key) throw new Error('the bench runs with the local key');
  const token = await issueToken(
    key,
    { subject: 'bench', tenant: 'trondheim', role: 'auditor' },
    { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '1h' },
  );

  // The bare server: the same query functions (so the same SQL) on the same pool, no Nest, auth, checks or freshness.
  const bare = Fastify();
  const tables = (name: string) => `"public"."${name}"`;
  const scope: StatisticsScope = { schoolYear: '2025-2026', date: '2025-11-20' };
  bare.get<{ Querystring: { date?: string } }>('/statistics/summary', async (request) => ({
    items: [await summary(runtime.pool, tables, 'trondheim', { ...scope, date: request.query.date ?? scope.date })],
  }));
  bare.get<{ Params: { dimension: 'subjectGroup' | 'district' } }>('/statistics/breakdown/:dimension', (request) =>
    runList(runtime.pool, breakdownSpec(tables, scope, request.params.dimension), {
      tenant: 'trondheim',
      filters: {},
      paging: pagingOf({}),
    }),
  );
  bare.get('/statistics/coverage', async () => ({
    items: await coverage(Object.keys(TRONDHEIM_REGISTERS.districts))(runtime.pool, tables, 'trondheim', scope),
  }));
  bare.get('/statistics/demographics', async () => ({
    items: await demographics(runtime.pool, tables, 'trondheim', scope),
  }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  stops.push(() => bare.close());
  const bareAddress = bare.server.address();
  const bareUrl = typeof bareAddress === 'object' && bareAddress ? `http://127.0.0.1:${bareAddress.port}` : '';

  // What the API answers, once each, uncached: the bodies the in-memory server returns and the ETags for 304s.
  const apiUrl = await app.getUrl();
  const answers = new Map<string, { body: string; etag: string; ms: number }>();
  for (const route of [...DASHBOARD, ...FIRST_SCREEN, ...ONE_OCTOBER]) {
    const started = performance.now();
    const response = await fetch(`${apiUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.text();
    if (!response.ok) throw new Error(`${route}: ${response.status} ${body}`);
    answers.set(route, { body, etag: response.headers.get('etag') ?? '', ms: performance.now() - started });
  }
  for (const [route, { ms }] of answers)
    console.log(`first answer (SQL run)   ${ms.toFixed(0).padStart(5)} ms  ${route}`);
  const stepsStarted = performance.now();
  const steps = await summarySteps(runtime.pool, tables, 'trondheim', '2025-2026');
  console.log(
    `summary steps counted    ${(performance.now() - stepsStarted).toFixed(0).padStart(5)} ms  ` +
      `(${steps.length} steps: the whole-tenant summary of every day of 2025-2026)`,
  );
  // The HTTP limit of this machine: bare Fastify handing back the same bodies from memory.
  const memory = Fastify();
  for (const route of DASHBOARD) {
    const answer = answers.get(route);
    memory.get(route.split('?')[0] ?? route, (_request, reply) =>
      reply.header('content-type', 'application/json; charset=utf-8').send(answer?.body),
    );
  }
  await memory.listen({ port: 0, host: '127.0.0.1' });
  stops.push(() => memory.close());
  const memoryAddress = memory.server.address();
  const memoryUrl = typeof memoryAddress === 'object' && memoryAddress ? `http://127.0.0.1:${memoryAddress.port}` : '';

  const load = async (
    label: string,
    url: string,
    headers: Record<string, string>,
    { conditional = false, routes = DASHBOARD }: { conditional?: boolean; routes?: readonly string[] } = {},
  ) => {
    const requests = routes.map((route) => ({
      method: 'GET',
      path: route,
      ...(conditional ? { headers: { 'if-none-match': answers.get(route)?.etag ?? '' } } : {}),
    }));
    await autocannon({ url, connections: CONNECTIONS, duration: 2, requests, headers }); // warm-up
    const callsBefore = databaseCalls.count;
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests, headers });
    const calls = databaseCalls.count - callsBefore;
    if ((!conditional && result.non2xx > 0) || result.errors > 0)
      throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    console.log(
      `${label.padEnd(34)} p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   ` +
        `${result.requests.average.toFixed(0).padStart(6)} requests/s   (${result.requests.total} requests` +
        (url === apiUrl ? `, ${calls} database calls by the API)` : ')'),
    );
    return result;
  };
  console.log(`load: ${CONNECTIONS} connections, ${SECONDS} s each, cycling ${DASHBOARD.length} dashboard queries`);
  const auth = { authorization: `Bearer ${token}` };
  const api = await load('query API (Nest, auth, freshness)', apiUrl, auth);
  const revalidated = await load('query API, If-None-Match (304)', apiUrl, auth, { conditional: true });
  const firstScreen = await load('query API, first screen (by date)', apiUrl, auth, { routes: FIRST_SCREEN });
  const oneOctober = await load('query API, GSI on 1 October (as-of)', apiUrl, auth, { routes: ONE_OCTOBER });
  const everyDay = await load('query API, summary of every day', apiUrl, auth, { routes: EVERY_DAY });
  const everyDayBare = await load('bare Fastify + pg, every day', bareUrl, {}, { routes: EVERY_DAY });
  const plain = await load('bare Fastify + pg (same SQL)', bareUrl, {});
  const fromMemory = await load('bare Fastify, bodies from memory', memoryUrl, {});
  console.log(
    `ratio: ${(api.requests.average / plain.requests.average).toFixed(2)} (requests/s, query API / bare + pg; goal >= 0.8)`,
  );
  console.log(
    `ratio: ${(api.requests.average / fromMemory.requests.average).toFixed(2)} (requests/s, query API / bare from memory; goal >= 0.25)`,
  );
  console.log(
    `ratio: ${(everyDay.requests.average / everyDayBare.requests.average).toFixed(2)} (requests/s, summary of every ` +
      `day from kept steps / bare + pg counting each day)`,
  );
  console.log(`ratio p50: ${(api.latency.p50 / Math.max(plain.latency.p50, 1)).toFixed(2)} (query API / bare + pg)`);
  console.log(`ratio p99: ${(api.latency.p99 / Math.max(plain.latency.p99, 1)).toFixed(2)} (query API / bare + pg)`);
  console.log(
    `query API p99: ${api.latency.p99} ms (goal <= 50 ms); first screen p99: ${firstScreen.latency.p99} ms; ` +
      `1 October (GSI) p99: ${oneOctober.latency.p99} ms; 304 p99: ${revalidated.latency.p99} ms`,
  );
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await runtime.stop();
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
