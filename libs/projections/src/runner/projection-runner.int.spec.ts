import assert from 'node:assert/strict';
import { afterAll, describe, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { RecordedEvent } from '#libs/event-store';
import { newCommandContext } from '#libs/platform';
import { committedEvents } from '#libs/testing';
import { ProjectionAdmin } from '../admin/projection-admin.js';
import { appendHistory, offeringHistory } from '../fixtures/offering-history.js';
import {
  caughtUp,
  checkpointOf,
  expectedOfferings,
  offeringsRows,
  projectionTestDb,
  waitFor,
  type ProjectionTestDb,
} from '../fixtures/harness.js';
import { offeringsProjection } from '#libs/enrolment';
import type { Projection } from '../projection.js';
import { applyBatch, type BatchOutcome } from './batch.js';
import { catchUp } from './catch-up.js';
import { PROJECTION_EVENT_SKIPPED, loadSkips } from './skips.js';
import { ProjectionRunner } from './projection-runner.js';
import { asOfTableSet, createTablesSql, liveTableSet } from './table-set.js';

const opened: ProjectionTestDb[] = [];
const testDb = async (label: string) => {
  const db = await projectionTestDb(label);
  opened.push(db);
  return db;
};
afterAll(async () => {
  for (const { db } of opened) await db.drop();
});

const types = offeringsProjection.eventTypes;

/** The live offerings model holds what the history implies, every event applied once, and runs. */
const assertBuiltAsHistoryImplies = async (
  pool: ProjectionTestDb['db']['pool'],
  history: ReturnType<typeof offeringHistory>,
  events: number,
): Promise<void> => {
  const oracle = expectedOfferings(history);
  const { rows } = await pool.query<{ offering_id: string; capacity: number; places_held: number; status: string }>(
    'SELECT offering_id, capacity, places_held, status FROM offerings',
  );
  assert.equal(rows.length, oracle.offerings.size);
  for (const row of rows) {
    const actual = { capacity: row.capacity, placesHeld: row.places_held, status: row.status };
    assert.deepEqual(actual, oracle.offerings.get(row.offering_id), row.offering_id);
  }
  const places = await pool.query<{ place_id: string }>('SELECT place_id FROM offering_places');
  assert.deepEqual(new Set(places.rows.map((r) => r.place_id)), oracle.places);
  const checkpoint = await checkpointOf(pool, 'offerings@v1');
  assert.equal(Number(checkpoint?.events_applied), events);
  assert.equal(checkpoint?.status, 'running');
};

describe('projection runner on PostgreSQL', () => {
  it('builds the read model the history implies, every event applied once', async () => {
    const { db, store } = await testDb('proj_build');
    const history = offeringHistory({ offerings: 40, eventsPerOffering: 60, seed: 3 });
    await appendHistory(store, history);
    const runner = new ProjectionRunner(db.pool, store, [offeringsProjection], { batchSize: 97, idleMs: 10 });
    await runner.start();
    await waitFor('catch-up', caughtUp(store, db.pool, 'offerings@v1', types));
    await runner.stop();

    await assertBuiltAsHistoryImplies(db.pool, history, 40 * 60);
  });

  it('inserts the rows a new build has not written, and upserts after meeting a row it did not write', async () => {
    const { db, store } = await testDb('proj_new_rows');
    const history = offeringHistory({ offerings: 40, eventsPerOffering: 60, seed: 5 });
    await appendHistory(store, history);
    // A row the build did not write, waiting in its empty-looking set: its key's COPY fails, and the batch is upserted.
    const set = liveTableSet(offeringsProjection);
    await db.pool.query(createTablesSql(set, offeringsProjection.tables, { unlogged: true }));
    const [opened] = (await committedEvents(db.pool, ['OfferingOpened'])) as RecordedEvent<
      'OfferingOpened',
      { offeringId: string }
    >[];
    assert.ok(opened);
    await db.pool.query(`INSERT INTO ${set.table('offerings')} (tenant, offering_id, capacity) VALUES ($1, $2, -1)`, [
      opened.metadata.tenant,
      opened.data.offeringId,
    ]);
    const runner = new ProjectionRunner(db.pool, store, [offeringsProjection], { batchSize: 500, idleMs: 10 });
    await runner.start();
    await waitFor('catch-up', caughtUp(store, db.pool, 'offerings@v1', types));
    await runner.stop();

    await assertBuiltAsHistoryImplies(db.pool, history, 40 * 60);
  });

  it('applies each event once when two catch-ups race over one set, each with commits in flight', async () => {
    const { db, store } = await testDb('proj_race');
    const history = offeringHistory({ offerings: 30, eventsPerOffering: 40, seed: 9 });
    await appendHistory(store, history);
    const runner = new ProjectionRunner(db.pool, store, [offeringsProjection]);
    await runner.start(); // creates the table set and checkpoint
    await runner.stop();
    await db.pool.query('UPDATE projection_checkpoints SET position = 0, events_applied = 0');
    await db.pool.query('TRUNCATE offerings__v1, offering_places__v1');
    const context = {
      pool: db.pool,
      projection: offeringsProjection,
      set: liveTableSet(offeringsProjection),
      skips: new Set<string>(),
    };
    // Both start from an empty set, so both send new rows with COPY: the loser of each race is stale, or refused.
    const applied = [0, 0];
    const loops = [0, 1].map((n) =>
      catchUp(store, context, {
        batchSize: 37,
        onBatch: (outcome: Exclude<BatchOutcome, { kind: 'stale' }>) =>
          void (applied[n] = (applied[n] ?? 0) + outcome.events),
      }),
    );
    assert.deepEqual(await Promise.all(loops), ['caught-up', 'caught-up']);
    assert.equal((applied[0] ?? 0) + (applied[1] ?? 0), 30 * 40);
    await assertBuiltAsHistoryImplies(db.pool, history, 30 * 40);
  });

  it('refuses to apply a batch twice: the second transaction sees the moved checkpoint', async () => {
    const { db, store } = await testDb('proj_once');
    await appendHistory(store, offeringHistory({ offerings: 3, eventsPerOffering: 10, seed: 4 }));
    const runner = new ProjectionRunner(db.pool, store, [offeringsProjection]);
    await runner.start(); // creates the table set and checkpoint
    await runner.stop();
    await db.pool.query('UPDATE projection_checkpoints SET position = 0, events_applied = 0');
    await db.pool.query('TRUNCATE offerings__v1, offering_places__v1');
    const events = await committedEvents(db.pool, types);
    const context = {
      pool: db.pool,
      projection: offeringsProjection,
      set: liveTableSet(offeringsProjection),
      skips: new Set<string>(),
    };
    const batch = { events, lastPosition: events.at(-1)?.position ?? 0n };
    const first = await applyBatch(context, 0n, batch);
    const before = await offeringsRows(db.pool);
    const second = await applyBatch(context, 0n, batch);
    assert.equal(first.kind, 'applied');
    assert.equal(second.kind, 'stale');
    assert.deepEqual(await offeringsRows(db.pool), before);
    assert.equal(Number((await checkpointOf(db.pool, 'offerings@v1'))?.events_applied), 30);
  });

  it('applies one of two racing commits of the same batch (one statement each) and leaves the other stale', async () => {
    const { db, store } = await testDb('proj_race');
    await appendHistory(store, offeringHistory({ offerings: 3, eventsPerOffering: 10, seed: 6 }));
    const runner = new ProjectionRunner(db.pool, store, [offeringsProjection]);
    await runner.start(); // creates the table set and checkpoint
    await runner.stop();
    const reset = async () => {
      await db.pool.query('UPDATE projection_checkpoints SET position = 0, events_applied = 0');
      await db.pool.query('TRUNCATE offerings__v1, offering_places__v1');
    };
    const events = await committedEvents(db.pool, types);
    const context = {
      pool: db.pool,
      projection: offeringsProjection,
      set: liveTableSet(offeringsProjection),
      skips: new Set<string>(),
    };
    const batch = { events, lastPosition: events.at(-1)?.position ?? 0n };
    await reset();
    assert.equal((await applyBatch(context, 0n, batch)).kind, 'applied');
    const once = await offeringsRows(db.pool);
    assert.ok(once.offerings.length === 3 && once.places.length > 0, 'the batch writes rows');

    await reset();
    const outcomes = await Promise.all([applyBatch(context, 0n, batch), applyBatch(context, 0n, batch)]);
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['applied', 'stale']);
    assert.deepEqual(await offeringsRows(db.pool), once, 'the rows of one commit, no increment doubled');
    assert.equal(Number((await checkpointOf(db.pool, 'offerings@v1'))?.events_applied), 30);
    // A stale commit writes no row at all, even where its rows are missing.
    await db.pool.query('TRUNCATE offerings__v1, offering_places__v1');
    assert.equal((await applyBatch(context, 0n, batch)).kind, 'stale');
    assert.deepEqual(await offeringsRows(db.pool), { offerings: [], places: [] });
  });

  it('stops at a poison event with its position and error; skip records it and resumes', async () => {
    const { db, store } = await testDb('proj_poison');
    const history = offeringHistory({ offerings: 5, eventsPerOffering: 20, seed: 5 });
    await appendHistory(store, history);
    const poisonId = history[2]?.events[7]?.eventId ?? '';
    const poisoned: Projection = {
      ...offeringsProjection,
      handle: (event: RecordedEvent) => {
        if (event.eventId === poisonId) throw new Error('corrupt payload');
        return offeringsProjection.handle(event);
      },
    };
    const registry = new Registry();
    const runner = new ProjectionRunner(db.pool, store, [poisoned], { batchSize: 30, idleMs: 10, registry });
    const admin = new ProjectionAdmin(db.pool, store, [poisoned]);
    await runner.start();
    await waitFor('the stop', async () => (await checkpointOf(db.pool, 'offerings@v1'))?.status === 'failed');

    const [status] = await admin.status();
    const poison = (await committedEvents(db.pool, types)).find((e) => e.eventId === poisonId);
    assert.equal(status?.status, 'failed');
    assert.equal(status?.failedEventId, poisonId);
    assert.equal(status?.failedPosition, String(poison?.position));
    assert.match(status?.error ?? '', /corrupt payload/);
    assert.ok(BigInt(status?.position ?? 0) < (poison?.position ?? 0n), 'the checkpoint stays before the poison');
    assert.equal(status?.lag?.events, 100 - Number(status?.eventsApplied), 'the rest is lag');
    await waitFor('the failed gauge', async () =>
      (await registry.metrics()).includes('kulturskole_projection_failed{projection="offerings",version="1"} 1'),
    );

    await assert.rejects(admin.retry('nope'), /no projection named nope/);
    const context = newCommandContext(
      { subject: 'admin-1', tenant: 'trondheim', role: 'admin' },
      { now: new Date(), reason: 'corrupt test payload' },
    );
    await admin.skip('offerings', context);
    await waitFor('catch-up after the skip', caughtUp(store, db.pool, 'offerings@v1', types));
    await runner.stop();

    const skips = await committedEvents(db.pool, [PROJECTION_EVENT_SKIPPED]);
    assert.equal(skips.length, 1);
    assert.equal(skips[0]?.streamName, 'trondheim.projections.projection-offerings');
    assert.equal(skips[0]?.metadata.actor.id, 'admin-1');
    assert.equal(skips[0]?.metadata.reason, 'corrupt test payload');
    assert.deepEqual(await loadSkips(store, 'offerings', 1), new Set([poisonId]));
    assert.equal(Number((await checkpointOf(db.pool, 'offerings@v1'))?.events_applied), 99);
    await assert.rejects(admin.skip('offerings', context), /not stopped/);
  });

  it('finds the event at fault when PostgreSQL rejects a row, and retry resumes once the cause is gone', async () => {
    const { db, store } = await testDb('proj_retry');
    const history = offeringHistory({ offerings: 4, eventsPerOffering: 15, seed: 6 });
    await appendHistory(store, history);
    const badId = history[1]?.events[0]?.eventId ?? '';
    let broken = true;
    const flaky: Projection = {
      ...offeringsProjection,
      handle: (event) =>
        broken && event.eventId === badId
          ? [{ kind: 'update', table: 'offerings', key: { offering_id: 'x' }, set: { capacity: 'lots' }, add: {} }]
          : offeringsProjection.handle(event),
    };
    const runner = new ProjectionRunner(db.pool, store, [flaky], { batchSize: 1000, idleMs: 10 });
    const admin = new ProjectionAdmin(db.pool, store, [flaky]);
    await runner.start();
    await waitFor('the stop', async () => (await checkpointOf(db.pool, 'offerings@v1'))?.status === 'failed');
    const [failed] = await admin.status();
    assert.equal(failed?.failedEventId, badId);
    assert.match(failed?.error ?? '', /invalid input syntax for type integer/);
    // Everything before the event at fault is in, from the same batch.
    const before = history.flatMap((h) => h.events).length;
    assert.ok(Number(failed?.eventsApplied) > 0 && Number(failed?.eventsApplied) < before);

    broken = false;
    await admin.retry('offerings');
    await waitFor('catch-up after the retry', caughtUp(store, db.pool, 'offerings@v1', types));
    await runner.stop();
    assert.equal(Number((await checkpointOf(db.pool, 'offerings@v1'))?.events_applied), before);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM offerings');
    assert.equal(rows[0]?.n, 4);
  });

  it('switches to a new version once it caught up (its indexes built by then), with no query failing meanwhile', async () => {
    const { db, store } = await testDb('proj_switch');
    const history = offeringHistory({ offerings: 100, eventsPerOffering: 60, seed: 7 });
    await appendHistory(store, history);
    const v1 = new ProjectionRunner(db.pool, store, [offeringsProjection], { idleMs: 10 });
    await v1.start();
    await waitFor('v1', caughtUp(store, db.pool, 'offerings@v1', types));
    await v1.stop();
    // The extra indexes of a set, by table (each build writes by key and builds them once it has caught up).
    const extraIndexes = async (version: number) =>
      (
        await db.pool.query<{ name: string }>(
          `SELECT indexname AS name FROM pg_indexes
            WHERE schemaname = 'public' AND tablename = ANY ($1) AND indexname NOT LIKE '%pkey' ORDER BY 1`,
          [[`offerings__v${version}`, `offering_places__v${version}`]],
        )
      ).rows.map((row) => row.name);
    assert.deepEqual(await extraIndexes(1), ['offering_places__v1__i0', 'offerings__v1__i0']);

    let querying = true;
    const errors: unknown[] = [];
    let queries = 0;
    const loops = Array.from({ length: 4 }, async () => {
      while (querying) {
        await db.pool
          .query('SELECT count(*), sum(places_held) FROM offerings JOIN offering_places USING (tenant, offering_id)')
          .then(
            () => queries++,
            (error: unknown) => errors.push(error),
          );
      }
    });
    const v2Projection: Projection = { ...offeringsProjection, version: 2 };
    const v2 = new ProjectionRunner(db.pool, store, [v2Projection], { batchSize: 200, idleMs: 10 });
    await v2.start();
    const liveVersion = async () =>
      (await db.pool.query<{ version: number }>("SELECT version FROM projection_live WHERE projection = 'offerings'"))
        .rows[0]?.version;
    assert.equal(await liveVersion(), 1, 'v1 serves while v2 rebuilds');
    await waitFor('the switch', async () => (await liveVersion()) === 2);
    assert.deepEqual(await extraIndexes(2), ['offering_places__v2__i0', 'offerings__v2__i0'], 'live with its indexes');
    await waitFor(
      'v1 dropped',
      async () => (await db.pool.query("SELECT to_regclass('offerings__v1') IS NULL AS gone")).rows[0]?.gone === true,
    );
    querying = false;
    await Promise.all(loops);
    await v2.stop();

    assert.deepEqual(errors, []);
    assert.ok(queries > 20, `queries ran throughout (${queries})`);
    assert.deepEqual(await offeringsRows(db.pool), await offeringsRows(db.pool, 'public', '__v2'));
    const oracle = expectedOfferings(history);
    const { rows } = await db.pool.query<{ n: number }>('SELECT sum(places_held)::int AS n FROM offerings');
    assert.equal(
      rows[0]?.n,
      [...oracle.offerings.values()].reduce((sum, o) => sum + o.placesHeld, 0),
    );
    const sets = await db.pool.query('SELECT table_set, status FROM projection_checkpoints ORDER BY table_set');
    assert.deepEqual(sets.rows, [{ table_set: 'offerings@v2', status: 'running' }]);
  });

  it('builds as of an instant exactly what the live model showed then, without touching the live one', async () => {
    const { db, store } = await testDb('proj_asof');
    await appendHistory(store, offeringHistory({ offerings: 20, eventsPerOffering: 40, seed: 8 }));
    const runner = new ProjectionRunner(db.pool, store, [offeringsProjection], { batchSize: 150, idleMs: 10 });
    await runner.start();
    await waitFor('first part', caughtUp(store, db.pool, 'offerings@v1', types));
    const thenLive = await offeringsRows(db.pool);
    // Not headPosition(): the safe head trails while a transaction of this database (the runner's) is still open.
    const thenPosition = BigInt(
      (await db.pool.query<{ max: string }>('SELECT max(position)::text AS max FROM es_events')).rows[0]?.max ?? '0',
    );
    const instant = (await db.pool.query<{ at: Date }>('SELECT max(recorded_at) AS at FROM es_events')).rows[0]?.at;
    assert.ok(instant);
    await new Promise((resolve) => setTimeout(resolve, 20));

    await appendHistory(store, offeringHistory({ offerings: 10, eventsPerOffering: 40, seed: 9 }));
    await waitFor('second part', caughtUp(store, db.pool, 'offerings@v1', types));
    const nowLive = await offeringsRows(db.pool);
    assert.notDeepEqual(nowLive, thenLive);

    await runner.buildAsOf('offerings', { tenant: 'trondheim', name: 'autumn', until: instant });
    await runner.buildAsOf('offerings', { tenant: 'trondheim', name: 'by_position', until: thenPosition });
    const autumn = asOfTableSet('trondheim', 'autumn').schema;
    assert.deepEqual(await offeringsRows(db.pool, autumn), thenLive);
    assert.deepEqual(await offeringsRows(db.pool, asOfTableSet('trondheim', 'by_position').schema), thenLive);
    assert.deepEqual(await offeringsRows(db.pool), nowLive, 'the live model is untouched');
    await runner.stop();

    await assert.rejects(db.pool.query(`DELETE FROM "${autumn}".offerings`), /read-only/);
    const builds = await new ProjectionAdmin(db.pool, store, [offeringsProjection]).asOfBuilds('trondheim');
    assert.deepEqual(
      builds.map((b) => [b.name, b.state, b.status, b.schema]),
      [
        ['autumn', 'ready', 'built', autumn],
        ['by_position', 'ready', 'built', asOfTableSet('trondheim', 'by_position').schema],
      ],
    );
    await assert.rejects(
      runner.buildAsOf('offerings', {
        tenant: 'trondheim',
        name: 'autumn',
        until: new Date(instant.getTime() - 1000),
      }),
      /already exists/,
    );
  });
});
