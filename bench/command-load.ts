/**
 * What bench:commands and bench:latency share: the whole host (HostModule, as `npm run start:host` runs it) on a
 * fresh database, tokens, offerings to apply to, unique applications with their personal data, and load drivers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, issueToken, loadConfig, startRuntime, type Runtime, type TokenRole } from '#libs/platform';
import { fodselsnummerFor } from '#libs/testing';
import { HostModule } from '../apps/host/src/host.module.js';
import { hostMigrations } from '../apps/host/src/migrations.js';
import { benchDatabase, percentile } from './bench-database.js';

export { percentile };

export interface BenchHost {
  runtime: Runtime;
  baseUrl: string;
  databaseUrl: string;
  token(role: TokenRole): Promise<string>;
  stop(): Promise<void>;
}

export const startBenchHost = async (label: string, env: Record<string, string> = {}): Promise<BenchHost> => {
  const database = await benchDatabase(label);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `kulturskole-bench-${label}-`));
  process.env.ACCEPT_SYNTHETIC_NATIONAL_IDS = '1';
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: '0',
    ACCEPT_SYNTHETIC_NATIONAL_IDS: '1',
    ...env,
  });
  const runtime = await startRuntime(config, { migrations: hostMigrations, applicationName: `bench-${label}` });
  let app: NestFastifyApplication | undefined;
  try {
    app = await createHttpApp(HostModule.forRuntime(runtime), runtime);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await runtime.stop();
    await database.stop();
    throw error;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const key = runtime.localKey;
  if (!key) throw new Error('the bench runs with the local key');
  return {
    runtime,
    baseUrl,
    databaseUrl: database.url,
    token: (role) =>
      issueToken(
        key,
        { subject: `bench-${role}`, tenant: 'trondheim', role },
        { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '2h' },
      ),
    async stop() {
      await app?.close();
      await runtime.stop();
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export interface Answer {
  status: number;
  body: Record<string, string>;
}

export const post = async (baseUrl: string, url: string, token: string, body?: unknown): Promise<Answer> => {
  const response = await fetch(`${baseUrl}${url}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, string> };
};

const currentSchoolYear = (now = new Date()): string => {
  const year = now.getUTCMonth() >= 7 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return `${year}-${year + 1}`;
};

const SUBJECTS = [
  'Piano',
  'Gitar',
  'Fiolin',
  'Cello',
  'Fløyte',
  'Klarinett',
  'Trompet',
  'Sang',
  'Talentprogram fiolin',
];

/** Offerings admitting by audition: an application waits for the school's offer, so no process makes offers. */
export const openOfferings = async (host: BenchHost, count: number, capacity = 500): Promise<string[]> => {
  const admin = await host.token('admin');
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const opened = await post(host.baseUrl, '/enrolment/offerings', admin, {
      ...{ subject: SUBJECTS[n % SUBJECTS.length], subjectGroup: 'music', programme: 'deepening' },
      ...{ location: 'Ranheim', district: 'Østbyen', form: 'individual', capacity },
      ...{ feePerSemesterNok: 2105, schoolYear: currentSchoolYear() },
    });
    if (opened.status !== 201) throw new Error(`open offering: ${opened.status} ${JSON.stringify(opened.body)}`);
    ids.push(opened.body.offeringId ?? '');
  }
  // The admission process opens each one's waitlist.
  for (let attempt = 0; ; attempt++) {
    const { rows } = await host.runtime.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM es_events WHERE event_type = 'WaitlistOpened'",
    );
    if (Number(rows[0]?.n) >= count) return ids;
    if (attempt > 600) throw new Error('the waitlists did not open');
    await sleep(50);
  }
};

let children = 0;
/** A new child each time: a unique (synthetic) national id, a name, an address, a guardian. */
export const applicationBody = () => {
  const n = children++;
  const day = n % 3_000; // 3,000 birth dates from 2010 on, ~160 numbers each
  const born = new Date(Date.UTC(2010, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  return {
    child: {
      name: `Barn ${n}`,
      nationalId: fodselsnummerFor(born, Math.floor(n / 3_000), { synthetic: true }),
      gender: n % 2 ? 'female' : 'male',
      district: 'Østbyen',
      address: `Ranheimsvegen ${n}, 7054 Ranheim`,
    },
    guardian: { name: `Forelder ${n}`, email: `forelder${n}@example.no`, phone: '+4791234567' },
    specialNeeds: false,
  };
};

/** As many requests as `concurrency` clients can get answered in `seconds`: the saturation rate. */
export const closedLoop = async (
  seconds: number,
  concurrency: number,
  request: (i: number) => Promise<Answer | undefined>,
): Promise<{ perSecond: number; done: number; failed: number; failures: string[] }> => {
  let next = 0;
  let done = 0;
  let failed = 0;
  const failures: string[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const answer = await request(next++);
        if (answer === undefined) return;
        if (answer.status >= 200 && answer.status < 300) done++;
        else if (failures.push(`${answer.status} ${JSON.stringify(answer.body)}`) && failed++ > 50) return;
      }
    }),
  );
  return { perSecond: done / ((performance.now() - started) / 1000), done, failed, failures: failures.slice(0, 3) };
};

/** Starts `request` at a steady `rate` per second for `seconds`, whatever the answers take (an open loop). */
export const steadyRate = async (rate: number, seconds: number, request: (i: number) => Promise<void>) => {
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(request(i));
  }
  await Promise.all(inFlight);
  return { sent: total, seconds: (performance.now() - started) / 1000 };
};

export const figure = (label: string, values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${label.padEnd(40)} p50 ${percentile(sorted, 50).toFixed(0).padStart(6)} ms   p99 ${percentile(sorted, 99)
    .toFixed(0)
    .padStart(6)} ms   (${values.length} measured)`;
};
