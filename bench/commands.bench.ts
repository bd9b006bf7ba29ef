/**
 * npm run bench:commands — command throughput at saturation through the whole host (HTTP, auth, validation, the bus,
 * the checks, personal data sealed under the child's own key, the append), against bare single-event INSERTs into a
 * table like es_events on the same server, in the same run:
 *   - application submissions, each a new child with name, national id, address and guardian;
 *   - answers (accept) to offers made after audition;
 *   - bare INSERT transactions of one event row each, as many connections as clients.
 * Prints commands/s, the host process's CPU and statements sent per command, and `ratio:` lines (commands / bare; goal
 * ≥ 0.1).
 * BENCH_SECONDS (default 20) per run, BENCH_CONCURRENCY (default 32) clients, BENCH_OFFERINGS (default 20).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { newCommandId } from '#libs/platform';
import {
  applicationBody,
  closedLoop,
  openOfferings,
  post,
  startBenchHost,
  type Answer,
  type BenchHost,
} from './command-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const OFFERINGS = Number(process.env.BENCH_OFFERINGS ?? 20);
const GOAL = 0.1;
/** Seats per offering: the most an offering may have. */
const CAPACITY = 500;

/** Waits until nothing has been appended for a second: the process managers and projections are done. */
const quiet = async (host: BenchHost) => {
  let last = '';
  for (;;) {
    const { rows } = await host.runtime.pool.query<{ head: string | null }>(
      'SELECT max(position) AS head FROM es_events',
    );
    const head = rows[0]?.head ?? '';
    if (head === last) return;
    last = head;
    await sleep(1_000);
  }
};

/** Statements this process sent to PostgreSQL (the host's pools and the bench's own): each is a round trip. */
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const timed = async <T>(run: () => Promise<T>) => {
  const cpu = process.cpuUsage();
  const sent = statements;
  const result = await run();
  const used = process.cpuUsage(cpu);
  return { result, cpuMs: (used.user + used.system) / 1000, statements: statements - sent };
};

const bareInserts = async (url: string): Promise<number> => {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    await pool.query('DROP TABLE IF EXISTS bench_bare_events');
    await pool.query(
      'CREATE TABLE bench_bare_events (LIKE es_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)',
    );
    await pool.query('CREATE SEQUENCE IF NOT EXISTS bench_bare_position');
    // One stored application event as the payload: the same size as what the store appends.
    const { rows } = await pool.query<{ data: unknown; metadata: unknown; stream_name: string }>(
      "SELECT data, metadata, stream_name FROM es_events WHERE event_type = 'ApplicationSubmitted' LIMIT 1",
    );
    const sample = rows[0];
    if (!sample) throw new Error('no stored application to copy');
    const data = JSON.stringify(sample.data);
    const metadata = JSON.stringify(sample.metadata);
    const run = await closedLoop(SECONDS, CONCURRENCY, async (i): Promise<Answer> => {
      await pool.query(
        `INSERT INTO bench_bare_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                                        schema_version, data, metadata, hash)
         VALUES (nextval('bench_bare_position'), pg_current_xact_id(), $1, 0, $2, 'ApplicationSubmitted', 1, $3, $4,
                 '\\x00')`,
        [`${sample.stream_name}-${i}`, newCommandId(), data, metadata], // a time-ordered id, as the store's
      );
      return { status: 201, body: {} };
    });
    return run.perSecond;
  } finally {
    await pool.end();
  }
};

const main = async () => {
  const host = await startBenchHost('commands');
  try {
    const offerings = await openOfferings(host, OFFERINGS, CAPACITY);
    const caseworker = await host.token('caseworker');
    const admin = await host.token('admin');
    const submitted: { offeringId: string; applicationId: string }[] = [];
    const submit = async (i: number): Promise<Answer> => {
      const offeringId = offerings[i % offerings.length] ?? '';
      const answer = await post(
        host.baseUrl,
        `/waitlist/offerings/${offeringId}/applications`,
        caseworker,
        applicationBody(),
      );
      if (answer.status === 201) submitted.push({ offeringId, applicationId: answer.body.applicationId ?? '' });
      return answer;
    };
    console.log(
      `bench:commands — ${SECONDS} s per run, ${CONCURRENCY} clients, ${OFFERINGS} offerings, the whole host in this process`,
    );
    await closedLoop(3, CONCURRENCY, submit); // warm-up
    await quiet(host);

    const submissions = await timed(() => closedLoop(SECONDS, CONCURRENCY, submit));
    if (submissions.result.failed > 0) console.log(`  refused submissions: ${submissions.result.failures.join(' | ')}`);
    await quiet(host);

    // Offers after audition for what was submitted (not timed), then the families' answers (timed). An answer costs
    // less than a submission, so more applications are submitted first (not timed) to have enough offers to answer.
    const seats = OFFERINGS * CAPACITY;
    const enough = Math.min(seats, Math.max(500, Math.ceil(submissions.result.perSecond * SECONDS * 3)));
    while (submitted.length < enough) await closedLoop(5, CONCURRENCY, submit);
    await quiet(host);
    const offers: { offeringId: string; offerId: string }[] = [];
    const wanted = submitted.slice(0, enough);
    await closedLoop(3_600, CONCURRENCY, async (i) => {
      const application = wanted[i];
      if (!application) return undefined;
      const answer = await post(host.baseUrl, `/waitlist/offerings/${application.offeringId}/audition-offers`, admin, {
        applicationId: application.applicationId,
      });
      if (answer.status === 201)
        offers.push({ offeringId: application.offeringId, offerId: answer.body.offerId ?? '' });
      return answer;
    });
    await quiet(host);
    const answers = await timed(() =>
      closedLoop(SECONDS, CONCURRENCY, async (i) => {
        const offer = offers[i];
        if (!offer) return undefined;
        return post(host.baseUrl, `/waitlist/offerings/${offer.offeringId}/offers/${offer.offerId}/accept`, caseworker);
      }),
    );
    if (answers.result.failed > 0) console.log(`  refused answers: ${answers.result.failures.join(' | ')}`);
    if (answers.result.done >= offers.length)
      console.log(`  (the ${offers.length} offers ran out before ${SECONDS} s)`);
    await quiet(host);

    const bare = await bareInserts(host.databaseUrl);
    const line = (label: string, perSecond: number, run?: { cpuMs: number; statements: number }, done?: number) =>
      console.log(
        `${label.padEnd(46)} ${perSecond.toFixed(0).padStart(6)} /s` +
          (run && done
            ? `   ${(run.cpuMs / done).toFixed(1)} ms CPU and ${(run.statements / done).toFixed(2)} statements each` +
              ' (host process, its projections and process managers included)'
            : ''),
      );
    line(
      'application submissions (with personal data)',
      submissions.result.perSecond,
      submissions,
      submissions.result.done,
    );
    line('offer answers (accept)', answers.result.perSecond, answers, answers.result.done);
    line('bare single-event INSERTs (like es_events)', bare);
    console.log(
      `ratio: ${(submissions.result.perSecond / bare).toFixed(3)} (submissions / bare appends; goal ≥ ${GOAL})`,
    );
    console.log(
      `ratio: ${(answers.result.perSecond / bare).toFixed(3)} (offer answers / bare appends; goal ≥ ${GOAL})`,
    );
  } finally {
    await host.stop();
  }
};

await main();
