/**
 * The fault suite (issue 13): a steady load of commands over HTTP against an app that runs the admission process
 * manager, the projections and the relay, while faults are injected: the embedded PostgreSQL killed with SIGKILL,
 * the process manager, the projector and the relay restarted in-process, and the Kafka broker stopped for a while.
 * Afterwards it checks what must hold and returns a table of counts that must all be 0.
 *
 * Used by the short form in `npm test` (test/e2e/fault-suite.e2e.spec.ts) and the long form `npm run chaos`
 * (scripts/chaos.ts). Needs no test runner: it boots its own app with its own embedded PostgreSQL, and its own Kafka
 * broker (the test broker fixture, which can be paused) when java is there.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { AdmissionModule, AdmissionProcessManager, admissionMigrations } from '#libs/admission';
import { addCalendarDays, dayBefore, osloDate } from '#libs/calendar';
import {
  EnrolmentHttpModule,
  evolve,
  initialOffering,
  offeringsProjection,
  seatsTaken,
  type Offering,
  type OfferingEvent,
} from '#libs/enrolment';
import { recordedEventOfRow, type EventRow, type RecordedEvent } from '#libs/event-store';
import { headerText, RelayModule, RelayService, TOPICS, TRANSLATED_EVENT_TYPES, translate } from '#libs/integration';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { createHttpApp, issueToken, loadConfig, startRuntime, type Runtime } from '#libs/platform';
import {
  asOfTableSet,
  buildAsOf,
  dropAsOfBuild,
  liveTableSet,
  ProjectionRunner,
  projectionsMigrations,
  type Projection,
} from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
import { fodselsnummerFor, freePort, platformWith, startKafkaBroker, type KafkaBroker } from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';

export type FaultKind =
  'postgres-sigkill' | 'process-manager-restart' | 'projector-restart' | 'relay-restart' | 'broker-stop';

export interface FaultSuiteOptions {
  /** How long the load runs; the faults are spread over it. */
  seconds: number;
  /** How long each broker stop lasts. */
  brokerStopMs: number;
  /** Pause between two faults. */
  faultGapMs: number;
  /** Concurrent load workers, each sending one command at a time. */
  workers: number;
  /** Pause of a worker between two commands. */
  thinkMs: number;
  /** Print the memory of each process at the start and the end. */
  memory?: boolean;
  log?: (line: string) => void;
}

export interface FaultSuiteResult {
  /** The checks: each count must be 0. */
  checks: { check: string; count: number; detail: string }[];
  /** What ran: commands, faults, events, recovery times. */
  facts: Record<string, string | number>;
  /** Each fault as it happened. */
  faults: { kind: FaultKind; atMs: number; tookMs: number; note: string }[];
  table: string;
}

const TENANT = 'trondheim';
const PROJECTIONS: readonly Projection[] = [offeringsProjection, waitlistQueueProjection, statisticsProjection];

const FaultSuiteApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  StatisticsModule,
  RelayModule,
);

/** The school year running on this date (August to July). */
const schoolYearOf = (date: Date): string => {
  const year = date.getUTCFullYear();
  return date.getUTCMonth() >= 7 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
};

interface Sent {
  action: string;
  status: number;
  correlationId: string;
  attempts: number;
}

/** Resident set size in kB of a process (VmRSS), or undefined when it is gone. */
const rssKb = async (pid: number): Promise<number | undefined> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) : undefined;
};

/** The process and all its descendants (PostgreSQL's backends are children of the postmaster). */
const processTree = async (pid: number): Promise<number[]> => {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const children: number[] = [];
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    children.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  const below = await Promise.all(children.map(processTree));
  return [pid, ...below.flat()];
};

const cmdline = async (pid: number): Promise<string> =>
  (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');

const mb = (kb: number | undefined) => (kb === undefined ? 'gone' : `${(kb / 1024).toFixed(0)} MB`);

/** Memory of this process, the embedded PostgreSQL (postmaster and backends) and the broker's JVM, if running here. */
const memoryReport = async (runtime: Runtime): Promise<string[]> => {
  const lines = [`test process ${process.pid}: rss ${mb(process.memoryUsage().rss / 1024)}`];
  const postmaster = runtime.embeddedPostgresPid?.();
  if (postmaster) {
    const tree = await processTree(postmaster);
    const sizes = await Promise.all(tree.map(rssKb));
    const total = sizes.reduce<number>((sum, kb) => sum + (kb ?? 0), 0);
    lines.push(
      `embedded PostgreSQL ${postmaster}: postmaster ${mb(sizes[0])}, with ${tree.length - 1} backends ${mb(total)}`,
    );
  }
  for (const child of (await processTree(process.pid)).slice(1)) {
    const command = await cmdline(child);
    if (command.includes('kafka.Kafka')) lines.push(`Kafka broker JVM ${child}: ${mb(await rssKb(child))}`);
  }
  return lines;
};

/** Runs the load and the faults, then the checks. Cleans up after itself whatever happens. */
export const runFaultSuite = async (options: FaultSuiteOptions): Promise<FaultSuiteResult> => {
  const log = options.log ?? ((line: string) => console.log(line));
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  };
  // An error nobody handles (a pg client's 'error' event without a listener) would end a host: counted, and shown.
  const uncaught: string[] = [];
  const onUncaught = (error: Error) => {
    uncaught.push(error.message);
    log(`fault suite: UNCAUGHT in the app process: ${error.stack ?? error.message}`);
  };
  process.on('uncaughtException', onUncaught);
  cleanups.push(async () => process.off('uncaughtException', onUncaught));
  try {
    return await run(options, log, cleanups, uncaught);
  } finally {
    await cleanup();
  }
};

const run = async (
  options: FaultSuiteOptions,
  log: (line: string) => void,
  cleanups: (() => Promise<unknown>)[],
  uncaught: readonly string[],
): Promise<FaultSuiteResult> => {
  const started = Date.now();
  // A broker of our own, so that stopping it disturbs no other spec; without java, the runner's broker (no stop).
  let broker: KafkaBroker | undefined;
  let brokers = process.env.KAFKA_BROKERS && process.env.KAFKA_BROKERS !== 'none' ? process.env.KAFKA_BROKERS : '';
  let brokerNote = '';
  try {
    broker = await startKafkaBroker();
    brokers = broker.brokers;
    cleanups.push(() => broker?.stop() ?? Promise.resolve());
  } catch (error) {
    brokerNote = `no broker of its own (${(error as Error).message.split('\n')[0]})`;
    log(`fault suite: ${brokerNote}; ${brokers ? `relay on ${brokers}, broker not stopped` : 'no relay'}`);
  }

  // Traversable: as root, the embedded server runs as the postgres user and must reach its folder.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-chaos-'));
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...(brokers ? { KAFKA_BROKERS: brokers } : {}),
  });
  const runtime = await startRuntime(config, {
    migrations: [...admissionMigrations, ...personalDataMigrations, ...projectionsMigrations, ...statisticsMigrations],
    applicationName: 'chaos',
  });
  cleanups.push(() => runtime.stop());
  const app = await createHttpApp(FaultSuiteApp(runtime), runtime);
  await app.listen(0, '127.0.0.1');
  cleanups.push(() => app.close());
  const baseUrl = await app.getUrl();
  const { pool, store } = runtime;
  const key = runtime.localKey;
  if (!key) throw new Error('the fault suite runs with the local key');
  let token = '';
  let tokenAt = 0;
  const caseworker = async () => {
    if (Date.now() - tokenAt > 60_000) {
      token = await issueToken(
        key,
        { subject: 'chaos-caseworker', tenant: TENANT, role: 'caseworker' },
        { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '5m' },
      );
      tokenAt = Date.now();
    }
    return token;
  };

  // The projector: run here, so it can be stopped and started again from its checkpoints.
  let runner = new ProjectionRunner(pool, store, PROJECTIONS, { idleMs: 20, batchSize: 200 });
  await runner.start();
  cleanups.push(() => runner.stop());

  const memoryAtStart = options.memory ? await memoryReport(runtime) : [];
  if (options.memory) log(`memory at the start:\n  ${memoryAtStart.join('\n  ')}`);

  // ---- the load --------------------------------------------------------------------------------------------------
  const sent: Sent[] = [];
  const schoolYear = schoolYearOf(new Date());
  const today = osloDate(new Date());
  const offerings: string[] = [];
  const applications: { offeringId: string; applicationId: string }[] = [];
  const answered = new Set<string>();
  const withdrawn = new Set<string>();
  let children = 0;
  let students = 0;

  /** One command; retried with the same idempotency key and correlation id while the app answers 503 or is away. */
  const command = async (action: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const correlationId = randomUUID();
    const headers: Record<string, string> = {
      authorization: `Bearer ${await caseworker()}`,
      'idempotency-key': correlationId,
      'x-correlation-id': correlationId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    let status = 0;
    let parsed: unknown;
    let attempts = 0;
    for (; attempts < 40;) {
      attempts++;
      try {
        const response = await fetch(`${baseUrl}${url}`, {
          method: 'POST',
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        const text = await response.text();
        parsed = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        status = 0; // no answer: unknown whether it was written, so asked again
      }
      if (status !== 503 && status !== 0 && status !== 500) break;
      await sleep(250);
    }
    sent.push({ action, status, correlationId, attempts });
    return { status, body: parsed };
  };

  const open = async (n: number) => {
    const response = await command('open offering', '/enrolment/offerings', {
      // Subjects of Trondheim's catalogue: requests are checked against the tenant's registers.
      ...{
        subject: ['Piano', 'Gitar', 'Fiolin'][n % 3],
        subjectGroup: 'music',
        programme: 'core',
        location: 'Ranheim',
      },
      ...{ district: 'Østbyen', form: 'group', capacity: 3 + (n % 3), feePerSemesterNok: 2105, schoolYear },
    });
    if (response.status === 201) offerings.push((response.body as { offeringId: string }).offeringId);
  };
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

  const apply = async () => {
    const offeringId = pick(offerings);
    if (!offeringId) return;
    const n = children++;
    const born = addCalendarDays('2014-01-01', n % 700);
    const response = await command('submit application', `/waitlist/offerings/${offeringId}/applications`, {
      child: {
        ...{ name: `Barn ${n}`, nationalId: fodselsnummerFor(born, Math.floor(n / 700) % 80) },
        ...{ gender: n % 2 ? 'male' : 'female', district: 'Østbyen' },
      },
      guardian: { name: `Foresatt ${n}`, email: 'foresatt@example.no' },
      specialNeeds: n % 11 === 0,
    });
    if (response.status === 201) {
      applications.push({ offeringId, applicationId: (response.body as { applicationId: string }).applicationId });
    }
  };
  /** Offers out and not yet answered by this load, read from the store (may fail while PostgreSQL is down). */
  const answerOffer = async () => {
    const offeringId = pick(offerings);
    if (!offeringId) return;
    const { rows } = await pool.query<{ offer_id: string }>(
      `SELECT data->>'offerId' AS offer_id FROM es_events
        WHERE stream_name = $1 AND event_type = 'PlaceOffered' ORDER BY position`,
      [`${TENANT}.waitlist.offering-${offeringId}`],
    );
    const offer = pick(rows.map((r) => r.offer_id).filter((id) => !answered.has(id)));
    if (!offer) return;
    answered.add(offer);
    const answer = Math.random() < 0.75 ? 'accept' : 'decline';
    await command(`${answer} offer`, `/waitlist/offerings/${offeringId}/offers/${offer}/${answer}`);
  };
  const enrol = async () => {
    const offeringId = pick(offerings);
    if (!offeringId) return;
    // A caseworker registers the child first: enrolment takes registered people only.
    const n = students++;
    const registered = await command('register person', '/people', {
      ...{ nationalId: fodselsnummerFor(addCalendarDays('2013-01-01', n % 365), Math.floor(n / 365) % 80) },
      ...{ name: `Elev ${n}`, gender: 'female' },
    });
    const { personId } = (registered.body ?? {}) as { personId?: string };
    if (!personId) return;
    await command('direct enrolment', `/enrolment/offerings/${offeringId}/places`, {
      ...{ personId, birthYear: 2013, gender: 'female' },
      ...{ district: 'Østbyen', school: 'Ranheim skole' },
    });
  };
  const withdrawPlace = async () => {
    const offeringId = pick(offerings);
    if (!offeringId) return;
    const { rows } = await pool.query<{ place_id: string }>(
      `SELECT data->>'placeId' AS place_id FROM es_events
        WHERE stream_name = $1 AND event_type = 'PlaceEnrolled' ORDER BY position`,
      [`${TENANT}.enrolment.offering-${offeringId}`],
    );
    // At most half of an offering's places, so that the read models keep places to compare.
    const candidates = rows.map((r) => r.place_id).filter((id) => !withdrawn.has(id));
    if (candidates.length <= rows.length / 2) return;
    const place = pick(candidates);
    if (!place) return;
    withdrawn.add(place);
    await command('withdraw place', `/enrolment/offerings/${offeringId}/places/${place}/withdraw`, {
      effectiveOn: today,
    });
  };
  const withdrawApplication = async () => {
    const application = pick(applications);
    if (!application) return;
    applications.splice(applications.indexOf(application), 1);
    await command(
      'withdraw application',
      `/waitlist/offerings/${application.offeringId}/applications/${application.applicationId}/withdraw`,
    );
  };

  for (let n = 0; n < 3; n++) await open(n);
  let loadRunning = true;
  let readFailures = 0;
  const worker = async () => {
    while (loadRunning) {
      const roll = Math.random();
      try {
        if (roll < 0.02 && offerings.length < 8) await open(offerings.length);
        else if (roll < 0.45) await apply();
        else if (roll < 0.75) await answerOffer();
        else if (roll < 0.87) await enrol();
        else if (roll < 0.95) await withdrawPlace();
        else await withdrawApplication();
      } catch {
        readFailures++; // a read of the store while PostgreSQL is down: the load goes on
        await sleep(200);
      }
      await sleep(options.thinkMs);
    }
  };
  const workers = Array.from({ length: options.workers }, worker);

  // ---- the faults ------------------------------------------------------------------------------------------------
  const faults: FaultSuiteResult['faults'] = [];
  const fault = async (kind: FaultKind, inject: () => Promise<string>) => {
    const at = Date.now();
    const note = await inject();
    faults.push({ kind, atMs: at - started, tookMs: Date.now() - at, note });
    log(`fault: ${kind} at ${((at - started) / 1000).toFixed(1)} s: ${note}`);
  };
  const ready = async () => {
    const response = await fetch(`${baseUrl}/health/ready`).catch(() => undefined);
    return response?.status === 200;
  };
  const killPostgres = () =>
    fault('postgres-sigkill', async () => {
      const pid = runtime.embeddedPostgresPid?.();
      if (!pid) throw new Error('no embedded PostgreSQL to kill');
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      for (;;) {
        if (Date.now() - killedAt > 120_000) throw new Error('PostgreSQL not back within 120 s of the kill');
        const writable = await pool
          .query('SELECT 1')
          .then(() => true)
          .catch(() => false);
        if (writable && (await ready())) break;
        await sleep(100);
      }
      return `killed pid ${pid}; ready again after ${Date.now() - killedAt} ms (new pid ${runtime.embeddedPostgresPid?.()})`;
    });
  const manager = app.get(AdmissionProcessManager);
  const restartManager = () =>
    fault('process-manager-restart', async () => {
      await manager.onApplicationShutdown();
      await sleep(500 + Math.random() * 1500);
      await manager.onApplicationBootstrap();
      return 'AdmissionProcessManager stopped (onApplicationShutdown) and started again (onApplicationBootstrap)';
    });
  const restartProjector = () =>
    fault('projector-restart', async () => {
      await runner.stop();
      await sleep(500 + Math.random() * 1500);
      runner = new ProjectionRunner(pool, store, PROJECTIONS, { idleMs: 20, batchSize: 200 });
      await runner.start();
      return 'projection runner stopped and a new one started from the checkpoints';
    });
  const relay = app.get(RelayService);
  const restartRelay = () =>
    fault('relay-restart', async () => {
      if (!brokers) return 'skipped: no broker';
      await relay.onApplicationShutdown();
      await sleep(500 + Math.random() * 1500);
      await relay.onApplicationBootstrap();
      return 'RelayService stopped and started again';
    });
  const stopBroker = () =>
    fault('broker-stop', async () => {
      if (!broker) return `skipped: ${brokerNote || 'no broker'}`;
      await broker.pause();
      await sleep(options.brokerStopMs);
      await broker.resume();
      return `broker stopped for ${options.brokerStopMs} ms, then started again`;
    });

  const schedule = [killPostgres, restartManager, restartProjector, restartRelay, stopBroker];
  const deadline = started + options.seconds * 1000;
  await sleep(Math.min(options.faultGapMs, 3000));
  let round = 0;
  // Every fault at least once, then round after round while there is time for one more.
  do {
    for (const inject of schedule) {
      await inject();
      await sleep(options.faultGapMs);
    }
    round++;
  } while (Date.now() + options.faultGapMs * schedule.length < deadline);
  while (Date.now() < deadline) await sleep(100);
  loadRunning = false;
  await Promise.all(workers);
  const loadEndedMs = Date.now() - started;
  log(`fault suite: load stopped after ${(loadEndedMs / 1000).toFixed(1)} s, ${round} round(s) of faults`);

  // ---- settle: every subscriber at the head, and the head still -----------------------------------------------------
  const pmSettings = (manager as unknown as { settings: { eventTypes: readonly string[]; refusedType: string } })
    .settings;
  const pmTypes = [...pmSettings.eventTypes, pmSettings.refusedType];
  const headOf = async (types: readonly string[] | 'all' | null) => {
    const { rows } = await pool.query<{ head: string | null }>(
      types && types !== 'all'
        ? 'SELECT max(position)::text AS head FROM es_events WHERE event_type = ANY ($1)'
        : 'SELECT max(position)::text AS head FROM es_events',
      types && types !== 'all' ? [types] : [],
    );
    return BigInt(rows[0]?.head ?? '0');
  };
  const subscriptionCheckpoint = async (name: string) => {
    const { rows } = await pool.query<{ position: string }>(
      'SELECT position::text FROM subscription_checkpoints WHERE name = $1',
      [name],
    );
    return rows[0] ? BigInt(rows[0].position) : -1n;
  };
  const projectionCheckpoint = async (projection: Projection) => {
    const { rows } = await pool.query<{ position: string | null; status: string }>(
      'SELECT position::text, status FROM projection_checkpoints WHERE table_set = $1',
      [liveTableSet(projection).id],
    );
    return { position: BigInt(rows[0]?.position ?? '-1'), status: rows[0]?.status ?? 'missing' };
  };
  const lagging = async (): Promise<string[]> => {
    const behind: string[] = [];
    if ((await subscriptionCheckpoint('admission')) < (await headOf(pmTypes))) behind.push('admission');
    for (const projection of PROJECTIONS) {
      if ((await projectionCheckpoint(projection)).position < (await headOf(projection.eventTypes)))
        behind.push(projection.name);
    }
    if (brokers) {
      if ((await subscriptionCheckpoint('relay')) < (await headOf(TRANSLATED_EVENT_TYPES))) behind.push('relay');
    }
    return behind;
  };
  const settleDeadline = Date.now() + 120_000;
  let behind: string[] = [];
  for (let quiet = 0; quiet < 3;) {
    const head = await headOf(null);
    behind = await lagging();
    await sleep(300);
    quiet = behind.length === 0 && head === (await headOf(null)) ? quiet + 1 : 0;
    if (Date.now() > settleDeadline) break;
  }
  const settledMs = Date.now() - started - loadEndedMs;

  // ---- the checks --------------------------------------------------------------------------------------------------
  const { rows: eventRows } = await pool.query<EventRow>(
    `SELECT position::text, stream_name, stream_revision::text, event_id, event_type, schema_version, data, metadata,
            recorded_at FROM es_events ORDER BY position`,
  );
  const events: RecordedEvent[] = eventRows.map(recordedEventOfRow);

  // 1. Acknowledged appends lost: every 2xx command has its events (its correlation id, appended by the caseworker).
  const byCommand = new Map<string, number>();
  for (const event of events) {
    if (event.metadata.actor?.role === 'system') continue;
    byCommand.set(event.metadata.correlationId, (byCommand.get(event.metadata.correlationId) ?? 0) + 1);
  }
  const acknowledged = sent.filter((s) => s.status >= 200 && s.status < 300);
  const lost = acknowledged.filter((s) => !byCommand.has(s.correlationId));

  // 2. Events skipped by a subscriber: at the head, and each read model equal to a clean rebuild of it.
  const skippedNotes: string[] = [];
  if (behind.length) skippedNotes.push(`not at the head after settling: ${behind.join(', ')}`);
  let rowsDiffering = 0;
  const rebuildNotes: string[] = [];
  const head = await headOf(null);
  for (const projection of PROJECTIONS) {
    const checkpoint = await projectionCheckpoint(projection);
    if (checkpoint.status === 'failed') skippedNotes.push(`${projection.name} failed`);
    const name = `chaos_${projection.name}`;
    await dropAsOfBuild(pool, TENANT, name);
    await buildAsOf(pool, store, projection, { tenant: TENANT, name, until: head });
    const rebuilt = asOfTableSet(TENANT, name);
    const live = liveTableSet(projection);
    for (const table of projection.tables) {
      const rowsOf = async (relation: string) =>
        (await pool.query(`SELECT * FROM ${relation}`)).rows.map((row) => JSON.stringify(row));
      const a = await rowsOf(live.table(table.name));
      const b = await rowsOf(rebuilt.table(table.name));
      const count = (rows: string[]) => rows.reduce((m, r) => m.set(r, (m.get(r) ?? 0) + 1), new Map<string, number>());
      const [ca, cb] = [count(a), count(b)];
      let differing = 0;
      for (const row of new Set([...a, ...b])) differing += Math.abs((ca.get(row) ?? 0) - (cb.get(row) ?? 0));
      rowsDiffering += differing;
      rebuildNotes.push(`${table.name} ${a.length}/${b.length}`);
      if (differing) rebuildNotes.push(`(${table.name}: ${differing} rows differ)`);
    }
    await dropAsOfBuild(pool, TENANT, name);
  }

  // 3. Kafka: every message the relay should have published, from the topics' beginning.
  const kafka = { lost: 0, duplicates: 0, redelivered: 0, outOfOrder: 0, expected: 0, received: 0, note: 'no relay' };
  if (brokers) {
    const expected = new Map<string, { key: string; position: bigint }>();
    for (const event of events) {
      for (const message of translate(event)) {
        expected.set(`${message.topic} ${message.id}`, { key: message.key, position: event.position });
      }
    }
    const received = await consume(brokers, TENANT, new Set(expected.keys()), 90_000);
    const firstSeen = new Map<string, { key: string; body: string }>();
    const conflicting = new Set<string>();
    const perKey = new Map<string, bigint[]>();
    for (const message of received) {
      const id = `${message.topic} ${message.id}`;
      if (!expected.has(id)) continue; // another run's, on the runner's shared broker
      const seen = firstSeen.get(id);
      if (seen) {
        kafka.redelivered++;
        if (seen.body !== message.body || seen.key !== message.key) conflicting.add(id);
        continue;
      }
      firstSeen.set(id, { key: message.key, body: message.body });
      const order = perKey.get(`${message.topic} ${message.key}`) ?? [];
      order.push(expected.get(id)?.position ?? 0n);
      perKey.set(`${message.topic} ${message.key}`, order);
    }
    for (const positions of perKey.values()) {
      let highest = -1n;
      for (const position of positions) {
        if (position < highest) kafka.outOfOrder++;
        highest = position > highest ? position : highest;
      }
    }
    kafka.expected = expected.size;
    kafka.received = received.length;
    kafka.lost = [...expected.keys()].filter((id) => !firstSeen.has(id)).length;
    kafka.duplicates = conflicting.size;
    kafka.note = `${expected.size} expected, ${received.length} received, ${kafka.redelivered} redelivered (same ce_id)`;
  }

  // 4. Seats: fold each offering stream; seats taken within capacity at every revision, places counting per day too.
  let overCapacity = 0;
  const capacityNotes: string[] = [];
  const offeringStreams = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamName.startsWith(`${TENANT}.enrolment.offering-`)) continue;
    offeringStreams.set(event.streamName, [...(offeringStreams.get(event.streamName) ?? []), event]);
  }
  for (const [stream, streamEvents] of offeringStreams) {
    let state: Offering = initialOffering;
    for (const event of streamEvents) {
      state = evolve(state, { type: event.type, data: event.data } as OfferingEvent);
      if (state.status !== 'NotOpened' && seatsTaken(state) > state.capacity) {
        overCapacity++;
        capacityNotes.push(`${stream}@${event.streamRevision}: ${seatsTaken(state)} of ${state.capacity}`);
      }
    }
    const perDay = placesOverCapacityPerDay(streamEvents, today);
    overCapacity += perDay.length;
    capacityNotes.push(...perDay.map((d) => `${stream} ${d}`));
  }

  // 5. Every accepted offer became one place or one recorded refusal.
  const placesByOffer = new Map<string, number>();
  const refusalsByOffer = new Map<string, number>();
  for (const event of events) {
    const data = event.data as { viaOfferId?: string | null; offerId?: string };
    if (event.type === 'PlaceEnrolled' && data.viaOfferId)
      placesByOffer.set(data.viaOfferId, (placesByOffer.get(data.viaOfferId) ?? 0) + 1);
    if (event.type === 'AdmissionRefused' && data.offerId)
      refusalsByOffer.set(data.offerId, (refusalsByOffer.get(data.offerId) ?? 0) + 1);
  }
  const acceptedOffers = events
    .filter((e) => e.type === 'OfferAccepted')
    .map((e) => (e.data as { offerId: string }).offerId);
  const unresolved = acceptedOffers.filter(
    (offerId) => (placesByOffer.get(offerId) ?? 0) + (refusalsByOffer.get(offerId) ?? 0) !== 1,
  );

  const memoryAtEnd = options.memory ? await memoryReport(runtime) : [];
  if (options.memory) log(`memory at the end:\n  ${memoryAtEnd.join('\n  ')}`);

  const statuses = new Map<number, number>();
  for (const s of sent) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  const recoveries = faults.filter((f) => f.kind === 'postgres-sigkill').map((f) => f.tookMs);
  const checks: FaultSuiteResult['checks'] = [
    {
      check: 'uncaught errors in the app process',
      count: uncaught.length,
      detail: uncaught.length ? [...new Set(uncaught)].slice(0, 2).join('; ') : 'none',
    },
    {
      check: 'acknowledged appends lost',
      count: lost.length,
      detail: `${acknowledged.length} commands answered 2xx${
        lost.length
          ? `; lost: ${lost
              .slice(0, 3)
              .map((l) => `${l.action} ${l.correlationId}`)
              .join(', ')}`
          : ''
      }`,
    },
    {
      check: 'events skipped by a subscriber',
      count: skippedNotes.length,
      detail:
        skippedNotes.join('; ') ||
        `admission, ${PROJECTIONS.map((p) => p.name).join(', ')}${brokers ? ', relay' : ''} at head ${head}`,
    },
    {
      check: 'read-model rows differing from a clean rebuild',
      count: rowsDiffering,
      detail: `live/rebuilt rows: ${rebuildNotes.join(', ')}`,
    },
    { check: 'Kafka messages lost', count: kafka.lost, detail: kafka.note },
    {
      check: 'Kafka duplicates after dedupe by ce_id',
      count: kafka.duplicates,
      detail: 'same ce_id, other key or body',
    },
    {
      check: 'Kafka messages out of order per key',
      count: kafka.outOfOrder,
      detail: 'first arrival per ce_id, per topic and key',
    },
    {
      check: 'seats over capacity',
      count: overCapacity,
      detail:
        capacityNotes.slice(0, 3).join('; ') || `${offeringStreams.size} offerings folded at every revision and day`,
    },
    {
      check: 'accepted offers without a place or refusal',
      count: unresolved.length,
      detail: `${acceptedOffers.length} offers accepted${unresolved.length ? `; e.g. ${unresolved.slice(0, 3).join(', ')}` : ''}`,
    },
  ];
  const facts: FaultSuiteResult['facts'] = {
    'load seconds': (loadEndedMs / 1000).toFixed(1),
    'commands sent': sent.length,
    'answers by status': [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}:${n}`)
      .join(' '),
    'commands retried after 503/no answer': sent.filter((s) => s.attempts > 1).length,
    'store reads failed during outages': readFailures,
    'events in the store': events.length,
    'faults injected': [...faults.reduce((m, f) => m.set(f.kind, (m.get(f.kind) ?? 0) + 1), new Map<string, number>())]
      .map(([kind, n]) => `${kind}×${n}`)
      .join(', '),
    'PostgreSQL recovery ms': recoveries.join(', '),
    'settled after load ms': settledMs,
    'total seconds': ((Date.now() - started) / 1000).toFixed(1),
  };
  const table = renderTable(checks, facts);
  return { checks, facts, faults, table };
};

/** Places counting on each day against the capacity in force at that day's end (as the property test does). */
const placesOverCapacityPerDay = (events: readonly RecordedEvent[], today: string): string[] => {
  const places = new Map<string, { from: string; through: string | null }>();
  const capacityAtEndOf = new Map<string, number>();
  let first: string | undefined;
  let last = today;
  for (const event of events) {
    const data = event.data as Record<string, string | number | null | undefined>;
    switch (event.type) {
      case 'OfferingOpened':
        first = osloDate(String(data.openedAt));
        capacityAtEndOf.set(first, Number(data.capacity));
        break;
      case 'CapacityChanged':
        capacityAtEndOf.set(osloDate(String(data.changedAt)), Number(data.capacity));
        break;
      case 'PlaceEnrolled': {
        const from = data.startsOn ? String(data.startsOn) : osloDate(String(data.enrolledAt));
        places.set(String(data.placeId), { from, through: null });
        if (from > last) last = from;
        break;
      }
      case 'PlaceWithdrawn':
      case 'PlaceTransferredOut': {
        const place = places.get(String(data.placeId));
        if (!place) break;
        const through =
          event.type === 'PlaceWithdrawn' ? String(data.effectiveOn) : dayBefore(String(data.effectiveOn));
        places.set(String(data.placeId), { ...place, through });
        if (through > last) last = through;
        break;
      }
      default:
        break;
    }
  }
  const over: string[] = [];
  if (!first) return over;
  let capacity = 0;
  for (let day = first; day <= last; day = addCalendarDays(day, 1)) {
    capacity = capacityAtEndOf.get(day) ?? capacity;
    const counting = [...places.values()].filter((p) => p.from <= day && (p.through === null || day <= p.through));
    if (counting.length > capacity) over.push(`${counting.length} places count on ${day}, capacity ${capacity}`);
  }
  return over;
};

interface Message {
  topic: string;
  id: string;
  key: string;
  body: string;
}

/** Every message of the tenant on the relay's topics, from the beginning, until all expected ids have arrived. */
const consume = async (brokers: string, tenant: string, expected: Set<string>, timeoutMs: number) => {
  const kafka = new Kafka({ clientId: 'fault-suite', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(TOPICS).filter((topic) => !existing.has(topic));
  if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  await admin.disconnect();
  const consumer: Consumer = kafka.consumer({ groupId: `fault-suite-${randomUUID()}` });
  const received: Message[] = [];
  const arrived = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: Object.values(TOPICS), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (headerText(message.headers, 'ce_tenant') !== tenant) return;
        const id = headerText(message.headers, 'ce_id') ?? '';
        received.push({ topic, id, key: message.key?.toString() ?? '', body: message.value?.toString() ?? '' });
        arrived.add(`${topic} ${id}`);
      },
    });
    const deadline = Date.now() + timeoutMs;
    let lastCount = -1;
    let quietSince = Date.now();
    // All expected ids, then a little longer for redeliveries still on their way; or the timeout (losses show).
    while (Date.now() < deadline) {
      const complete = [...expected].every((id) => arrived.has(id));
      if (received.length !== lastCount) {
        lastCount = received.length;
        quietSince = Date.now();
      }
      if (complete && Date.now() - quietSince > 2000) break;
      await sleep(200);
    }
  } finally {
    await consumer.disconnect();
  }
  return received;
};

/** The table the suite prints: one line per check, then what ran. */
export const renderTable = (checks: FaultSuiteResult['checks'], facts: FaultSuiteResult['facts']): string => {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines = [
    `${'check'.padEnd(width)}  count  detail`,
    `${'-'.repeat(width)}  -----  ------`,
    ...checks.map((c) => `${c.check.padEnd(width)}  ${String(c.count).padStart(5)}  ${c.detail}`),
    '',
    ...Object.entries(facts).map(([name, value]) => `${name}: ${value}`),
  ];
  return lines.join('\n');
};
