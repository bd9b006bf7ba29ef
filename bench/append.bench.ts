/**
 * npm run bench:append — the PostgreSQL event store against bare `pg` INSERT transactions on the same server, in the
 * same run: 100,000 single-event appends over 1,000 streams with exact expected revisions, then the same events in
 * appends of 100. Prints events/s, p50/p99 and `ratio: <store/bare>` per pair.
 */
import { randomUUID } from 'node:crypto';
import { migrate, createPool, type Pool } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, type NewEvent } from '#libs/event-store';
import { benchDatabase, report, type RunFigures } from './bench-database.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const STREAMS = 1_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const metadata = {
  tenant: 'bench',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { id: 'bench', role: 'system' as const },
  occurredAt: new Date().toISOString(),
};
const newEvent = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'PlaceOffered',
  schemaVersion: 1,
  data: { offeringId: 'piano-midtbyen', childRef: `c-${n}`, deadline: '2026-12-01' },
  metadata,
});

/** Runs `count` operations over CONCURRENCY workers; each worker owns the streams i ≡ worker (mod CONCURRENCY). */
const drive = async (label: string, operations: number, eventsPerOp: number, op: (i: number) => Promise<void>) => {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < operations; i = next++) {
        const t0 = process.hrtime.bigint();
        await op(i);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label, events: operations * eventsPerOp, seconds, latenciesMs } satisfies RunFigures;
};

const storeRun = async (pool: Pool, label: string, batch: number): Promise<RunFigures> => {
  const store = new PostgresEventStore(pool);
  const revisions = new Map<string, number>();
  const locks = new Map<string, Promise<void>>();
  const operations = EVENTS / batch;
  return drive(label, operations, batch, async (i) => {
    const stream = `bench.enrolment.offering-${batch}-${i % STREAMS}`;
    // Appends to one stream are sequential, as a command handler's would be; streams run in parallel.
    const previous = locks.get(stream) ?? Promise.resolve();
    const mine = previous.then(async () => {
      const expected = revisions.get(stream);
      const result = await store.appendToStream(
        stream,
        Array.from({ length: batch }, (_, n) => newEvent(i * batch + n)),
        { expectedRevision: expected === undefined ? 'no_stream' : expected },
      );
      revisions.set(stream, result.nextExpectedRevision);
    });
    locks.set(stream, mine);
    await mine;
  });
};

const bareRun = async (pool: Pool, label: string, batch: number): Promise<RunFigures> => {
  const operations = EVENTS / batch;
  return drive(label, operations, batch, async (i) => {
    const events = Array.from({ length: batch }, (_, n) => newEvent(i * batch + n));
    await pool.query(
      `INSERT INTO bare_events (stream_name, event_id, event_type, data, metadata)
       SELECT $1, id, t, d, m FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[]) AS e(id, t, d, m)`,
      [
        `bench.enrolment.offering-${batch}-${i % STREAMS}`,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    );
  });
};

const main = async () => {
  const database = await benchDatabase('append');
  const pool = createPool(database.url, { max: CONCURRENCY });
  try {
    await migrate(pool, eventStoreMigrations);
    await pool.query(`CREATE TABLE bare_events (
      id bigserial PRIMARY KEY, stream_name text NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL,
      data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    console.log(
      `bench:append — ${EVENTS} events, ${STREAMS} streams, concurrency ${CONCURRENCY}, PostgreSQL ${
        (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version
      }`,
    );
    for (const batch of [1, 100]) {
      console.log(`\n${batch === 1 ? 'single-event appends' : 'appends of 100 events'}`);
      // Bare first then store, so neither gets a warmer cache for free; both in the same database.
      const bare = await bareRun(pool, `bare pg INSERT transactions (${batch} row${batch > 1 ? 's' : ''})`, batch);
      const store = await storeRun(
        pool,
        `event store appends (${batch} event${batch > 1 ? 's' : ''}, expected rev)`,
        batch,
      );
      report(store, bare);
    }
  } finally {
    await pool.end();
    await database.stop();
  }
};

await main();
