import assert from 'node:assert/strict';
import { afterAll, describe, it } from '@jest/globals';
import type { Pool } from '#libs/database';
import { offeringsProjection } from '#libs/enrolment';
import { committedEvents } from '#libs/testing';
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
import { catchUp } from './catch-up.js';
import { LiveProjection } from './live-projection.js';
import { ProjectionRunner } from './projection-runner.js';

const opened: ProjectionTestDb[] = [];
afterAll(async () => {
  for (const { db } of opened) await db.drop();
});

const types = offeringsProjection.eventTypes;
const tables = ['offerings__v1', 'offering_places__v1'];
const persistence = async (pool: Pool) => {
  const { rows } = await pool.query<{ relpersistence: string }>(
    'SELECT relpersistence FROM pg_class WHERE relname = ANY ($1) ORDER BY relname',
    [tables],
  );
  return rows.map((row) => row.relpersistence);
};
const indexes = async (pool: Pool) => {
  const { rows } = await pool.query<{ indexname: string }>(
    'SELECT indexname FROM pg_indexes WHERE tablename = ANY ($1) ORDER BY indexname',
    [tables],
  );
  return rows.map((row) => row.indexname);
};
const live = (ctx: ProjectionTestDb, warnings: string[] = []) =>
  new LiveProjection(ctx.db.pool, ctx.store, offeringsProjection, {
    ...{ batchSize: 50, idleMs: 10 },
    log: (level, message) => void (level === 'warn' && warnings.push(message)),
  });
/** The rows equal what the history implies (the harness's own fold of it). */
const assertHolds = async (pool: Pool, history: Parameters<typeof expectedOfferings>[0]) => {
  const oracle = expectedOfferings(history);
  const { rows } = await pool.query<{ offering_id: string; capacity: number; places_held: number; status: string }>(
    'SELECT offering_id, capacity, places_held, status FROM offerings',
  );
  assert.equal(rows.length, oracle.offerings.size);
  for (const row of rows) {
    const { capacity, places_held: placesHeld, status } = row;
    assert.deepEqual({ capacity, placesHeld, status }, oracle.offerings.get(row.offering_id), row.offering_id);
  }
  const places = await pool.query<{ place_id: string }>('SELECT place_id FROM offering_places');
  assert.deepEqual(new Set(places.rows.map((r) => r.place_id)), oracle.places);
};
const buildToTheHead = async ({ db, store }: ProjectionTestDb) => {
  const runner = new ProjectionRunner(db.pool, store, [offeringsProjection], { batchSize: 50, idleMs: 10 });
  await runner.start();
  await waitFor('catch-up', caughtUp(store, db.pool, 'offerings@v1', types));
  await waitFor('logged', async () => (await persistence(db.pool)).every((p) => p === 'p'));
  await runner.stop();
};

/** Builds half the history into a set still UNLOGGED; returns the history, its events and the halfway position. */
const halfBuilt = async (name: string, seed: number) => {
  const ctx = await projectionTestDb(name);
  opened.push(ctx);
  const history = offeringHistory({ offerings: 12, eventsPerOffering: 30, seed });
  await appendHistory(ctx.store, history);
  const events = await committedEvents(ctx.db.pool, types);
  const halfway = events[Math.floor(events.length / 2)]?.position ?? 0n;
  const first = live(ctx);
  await first.prepare();
  const context = { pool: ctx.db.pool, projection: offeringsProjection, set: first.set, skips: new Set<string>() };
  assert.equal(await catchUp(ctx.store, context, { batchSize: 50, untilPosition: halfway }), 'caught-up');
  return { ctx, history, events, halfway };
};

describe('a table set built unlogged (build-durability.ts)', () => {
  it('is built UNLOGGED, set LOGGED once it has caught up, and holds what a logged build holds', async () => {
    const ctx = await projectionTestDb('durability_logged');
    opened.push(ctx);
    const history = offeringHistory({ offerings: 12, eventsPerOffering: 30, seed: 21 });
    await appendHistory(ctx.store, history);
    await live(ctx).prepare();
    assert.deepEqual(await persistence(ctx.db.pool), ['u', 'u']);

    assert.deepEqual(await indexes(ctx.db.pool), ['offering_places__v1_pkey', 'offerings__v1_pkey']);

    await buildToTheHead(ctx);
    assert.deepEqual(await persistence(ctx.db.pool), ['p', 'p']);
    // Each table finished in its own transaction gets its extra indexes there.
    assert.deepEqual(await indexes(ctx.db.pool), [
      'offering_places__v1__i0',
      'offering_places__v1_pkey',
      'offerings__v1__i0',
      'offerings__v1_pkey',
    ]);
    await assertHolds(ctx.db.pool, history);
  });

  it('starts again from the beginning when a database crash emptied it while it was being built', async () => {
    // Half built, still unlogged: the checkpoint stands at the middle of the history.
    const { ctx, history, events, halfway } = await halfBuilt('durability_crash', 22);
    assert.equal((await checkpointOf(ctx.db.pool, 'offerings@v1'))?.position, String(halfway));
    assert.ok((await offeringsRows(ctx.db.pool)).offerings.length > 0);

    // A server that stops cleanly keeps unlogged tables: starting again changes nothing.
    const warnings: string[] = [];
    await live(ctx, warnings).prepare();
    assert.equal((await checkpointOf(ctx.db.pool, 'offerings@v1'))?.position, String(halfway));
    assert.deepEqual(warnings, []);

    // Crash recovery empties every unlogged table (as TRUNCATE does here); the next start sees it and begins again.
    await ctx.db.pool.query(`TRUNCATE ${tables.join(', ')}`);
    await live(ctx, warnings).prepare();
    const restarted = await checkpointOf(ctx.db.pool, 'offerings@v1');
    assert.deepEqual([restarted?.position, restarted?.events_applied], ['0', '0']);
    assert.match(warnings.join('\n'), /emptied by a database crash/);

    await buildToTheHead(ctx);
    await assertHolds(ctx.db.pool, history);
    assert.equal((await checkpointOf(ctx.db.pool, 'offerings@v1'))?.events_applied, String(events.length));
  });

  it('empties the set whole when a crash came while its tables were being made LOGGED one by one', async () => {
    const { ctx, history, events } = await halfBuilt('durability_crash_finishing', 23);
    // One table was made LOGGED and kept its rows; the crash emptied the other, still UNLOGGED.
    await ctx.db.pool.query('ALTER TABLE offerings__v1 SET LOGGED');
    await ctx.db.pool.query('TRUNCATE offering_places__v1');
    assert.ok((await offeringsRows(ctx.db.pool)).offerings.length > 0);

    const warnings: string[] = [];
    await live(ctx, warnings).prepare();
    assert.match(warnings.join('\n'), /emptied by a database crash/);
    assert.equal((await checkpointOf(ctx.db.pool, 'offerings@v1'))?.position, '0');
    // The logged table's rows went too: built again over them, its places_held would count its first half twice.
    assert.deepEqual((await offeringsRows(ctx.db.pool)).offerings, []);

    await buildToTheHead(ctx);
    await assertHolds(ctx.db.pool, history);
    assert.equal((await checkpointOf(ctx.db.pool, 'offerings@v1'))?.events_applied, String(events.length));
  });

  it('finishes what a process that died while making its tables LOGGED left, without starting again', async () => {
    const { ctx, history, halfway } = await halfBuilt('durability_died_finishing', 24);
    // The process died after one table: no crash, so the other still holds its rows, UNLOGGED.
    await ctx.db.pool.query('ALTER TABLE offering_places__v1 SET LOGGED');

    const warnings: string[] = [];
    await live(ctx, warnings).prepare();
    assert.deepEqual(warnings, []);
    assert.equal((await checkpointOf(ctx.db.pool, 'offerings@v1'))?.position, String(halfway));

    await buildToTheHead(ctx);
    assert.deepEqual(await persistence(ctx.db.pool), ['p', 'p']);
    await assertHolds(ctx.db.pool, history);
  });
});
