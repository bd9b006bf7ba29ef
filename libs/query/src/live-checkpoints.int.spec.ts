import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { migrate, type Pool } from '#libs/database';
import { offeringsProjection, offeringStream } from '#libs/enrolment';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import {
  announceCheckpoint,
  buildAsOf,
  PROJECTION_MOVED_CHANNEL,
  ProjectionRunner,
  projectionsMigrations,
} from '#libs/projections';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import type { ReadSource } from './freshness.js';
import { LiveCheckpoints } from './live-checkpoints.js';

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const db of opened) await db.drop();
});

const TABLE_SET = `${offeringsProjection.name}@v${offeringsProjection.version}`;

const checkpointOf = async (pool: Pool): Promise<string | undefined> => {
  const { rows } = await pool.query<{ position: string }>(
    'SELECT position::text FROM projection_checkpoints WHERE table_set = $1',
    [TABLE_SET],
  );
  return rows[0]?.position;
};

/** Opens offerings and waits until the offerings read model has them all. */
const openOfferings = async (db: TestDatabase, store: PostgresEventStore, count: number): Promise<void> => {
  let last = 0n;
  for (let n = 0; n < count; n++) {
    const offeringId = randomUUID();
    const opening = testEvent('trondheim', 'OfferingOpened', {
      offeringId,
      capacity: 10,
      subject: 'Piano',
      subjectGroup: 'music',
      programme: 'core',
      location: 'Ranheim',
      district: 'Østbyen',
      form: 'individual',
      feePerSemesterNok: 2105,
      schoolYear: '2025-2026',
      openedAt: new Date().toISOString(),
    });
    const result = await store.appendToStream(offeringStream('trondheim', offeringId), [opening], {
      expectedRevision: 'no_stream',
    });
    last = result.position;
  }
  await eventually(async () => BigInt((await checkpointOf(db.pool)) ?? -1) >= last, 20_000);
};

const setUp = async (label: string) => {
  const db = await createTestDatabase(label);
  opened.push(db);
  await migrate(db.pool, [...eventStoreMigrations, ...projectionsMigrations]);
  const store = new PostgresEventStore(db.pool);
  const runner = new ProjectionRunner(db.pool, store, [offeringsProjection], { idleMs: 10 });
  await runner.start();
  await openOfferings(db, store, 3);
  return { db, store, runner };
};

/** Resolves once the watcher serves `read` from memory: its connection listens and a second read costs nothing. */
const keptOnceListening = (watcher: LiveCheckpoints, read: () => Promise<unknown>) =>
  eventually(async () => {
    await read();
    const before = watcher.counts.read;
    await read();
    return watcher.counts.read === before;
  });

/**
 * A stopped projector's database, and a watcher that keeps its live checkpoint (for `maxAgeMs`); released after `test`.
 */
const withKeptCheckpoint = async (
  label: string,
  maxAgeMs: number,
  test: (db: TestDatabase, live: () => Promise<ReadSource>) => Promise<void>,
) => {
  const { db, runner } = await setUp(label);
  await runner.stop();
  const watcher = LiveCheckpoints.of(db.pool, { maxAgeMs });
  const live = () => watcher.get(offeringsProjection.name);
  try {
    await keptOnceListening(watcher, live);
    await test(db, live);
  } finally {
    await watcher.release();
  }
};

/** Moves the checkpoint as another process's projector would, with no notice: what follows decides who hears of it. */
const moveWithoutNotice = async (db: TestDatabase): Promise<string | undefined> => {
  await db.pool.query('UPDATE projection_checkpoints SET position = position + 1 WHERE table_set = $1', [TABLE_SET]);
  return checkpointOf(db.pool);
};

const seen = (live: () => Promise<ReadSource>, position: string | undefined) =>
  eventually(async () => (await live()).freshness.position === position, 5_000);

describe('live checkpoints kept in memory until the projection moves', () => {
  it('answers from memory until a batch commits, then reads the new position once', async () => {
    const { db, store, runner } = await setUp('live_cp_moves');
    const watcher = LiveCheckpoints.of(db.pool, { maxAgeMs: 60_000 });
    try {
      const first = await watcher.get(offeringsProjection.name);
      assert.equal(first.freshness.position, await checkpointOf(db.pool));
      // Once the connection listens, a read is kept: many requests, no further database read.
      await keptOnceListening(watcher, () =>
        Promise.all(Array.from({ length: 50 }, () => watcher.get(offeringsProjection.name))),
      );

      await openOfferings(db, store, 2);
      const moved = await checkpointOf(db.pool);
      assert.notEqual(moved, first.freshness.position);
      // The runner's notice after its commit drops the kept checkpoint; the next request sees the new position.
      await seen(() => watcher.get(offeringsProjection.name), moved);
    } finally {
      await runner.stop();
      await watcher.release();
    }
  });

  it('forgets a kept checkpoint when its status changes (the trigger notifies with the change)', () =>
    withKeptCheckpoint('live_cp_status', 60_000, async (db, live) => {
      await db.pool.query("UPDATE projection_checkpoints SET status = 'failed' WHERE table_set = $1", [TABLE_SET]);
      await eventually(async () => (await live()).freshness.status === 'failed', 5_000);
    }));

  it("forgets a kept checkpoint on another process's notice", () =>
    withKeptCheckpoint('live_cp_notice', 60_000, async (db, live) => {
      // Another process's projector: its commit, then its notice, both only through the database.
      const moved = await moveWithoutNotice(db);
      assert.notEqual((await live()).freshness.position, moved, 'kept until told');
      // As a runner gathers them: every projection that moved within its window, in one notice.
      await db.pool.query('SELECT pg_notify($1, $2)', [
        PROJECTION_MOVED_CHANNEL,
        `statistics,${offeringsProjection.name}`,
      ]);
      await seen(live, moved);
    }));

  it('a runner gathers the projections that moved within its window into one notice to other processes', async () => {
    const db = await createTestDatabase('live_cp_gather');
    opened.push(db);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', ({ payload }) => heard.push(payload ?? ''));
    await listener.query(`LISTEN ${PROJECTION_MOVED_CHANNEL}`);
    try {
      for (const projection of ['statistics', 'waitlist_queue', 'statistics']) announceCheckpoint(db.pool, projection);
      await eventually(async () => heard.length > 0, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(heard, ['statistics,waitlist_queue']);
    } finally {
      await listener.end();
    }
  });

  it('keeps a finished as-of build until it is deleted (the trigger notifies), and never keeps a missing one', async () => {
    const { db, store, runner } = await setUp('live_cp_asof');
    await runner.stop();
    await buildAsOf(db.pool, store, offeringsProjection, { tenant: 'trondheim', name: 'autumn', until: new Date() });
    const watcher = LiveCheckpoints.of(db.pool, { maxAgeMs: 60_000 });
    try {
      await assert.rejects(watcher.asOf(offeringsProjection.name, 'trondheim', 'spring'), /no as-of build "spring"/);
      await keptOnceListening(watcher, () => watcher.asOf(offeringsProjection.name, 'trondheim', 'autumn'));
      const kept = await watcher.asOf(offeringsProjection.name, 'trondheim', 'autumn');
      assert.equal(kept.freshness.tableSet, 'asof:trondheim:autumn');
      assert.ok(watcher.holdsAsOf('trondheim', 'autumn'), 'held: a request need not build it first');
      assert.equal(watcher.holdsAsOf('trondheim', 'spring'), false);
      await db.pool.query("DELETE FROM projection_checkpoints WHERE table_set = 'asof:trondheim:autumn'");
      await eventually(
        async () =>
          watcher.asOf(offeringsProjection.name, 'trondheim', 'autumn').then(
            () => false,
            (error: Error) => /no as-of build "autumn"/.test(error.message),
          ),
        5_000,
      );
      assert.equal(watcher.holdsAsOf('trondheim', 'autumn'), false);
    } finally {
      await watcher.release();
    }
  });

  it('reads again after its maximum age, so a lost notice cannot keep an answer stale', () =>
    withKeptCheckpoint('live_cp_age', 200, async (db, live) => {
      // A position moved with no notice at all (as if the projector died between its commit and its notice).
      const moved = await moveWithoutNotice(db);
      const seenAt = Date.now();
      await seen(live, moved);
      assert.ok(Date.now() - seenAt < 2_000, 'seen within a few maximum ages');
    }));

  it('keeps nothing while its connection cannot listen: each request reads', () =>
    withKeptCheckpoint('live_cp_down', 60_000, async (db, live) => {
      // Cut the listening connection, as a failover would; until it listens again, nothing is served from memory.
      await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query = 'LISTEN projection_moved'`,
      );
      await seen(live, await moveWithoutNotice(db));
    }));
});
