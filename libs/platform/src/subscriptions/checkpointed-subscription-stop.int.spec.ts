import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, type RecordedEvent, type Subscription } from '#libs/event-store';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { settlesWithin } from './abortable.js';
import { checkpointMigrations, CheckpointStore } from './checkpoints.js';
import { startCheckpointedSubscription, type CheckpointedSubscriptionOptions } from './checkpointed-subscription.js';

const tenant = 'stop';

const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

/** A checkpoint store whose loads wait for `gate`: the moment between winning the lease and subscribing. */
class HeldCheckpoints extends CheckpointStore {
  readonly loading = gate();
  readonly gate = gate();

  override async load(name: string): Promise<bigint | undefined> {
    this.loading.open();
    await this.gate.opened;
    return super.load(name);
  }
}

/**
 * A stop must end in bounded time whatever the lease loop is doing, and hold no lease afterwards: a stop that waited on
 * the loop once hung a suite's afterAll (a waiting process won the lease just as it was stopped, then waited for an
 * abort that had already happened).
 */
describe('stopping a leased subscriber', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('lease_stop');
    await migrate(db.pool, [...eventStoreMigrations, ...checkpointMigrations]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await db.drop();
  });

  const locksHeld = async (name: string) => {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid`,
      [`lease:${name}`],
    );
    return rows[0]?.n;
  };
  const start = async (
    name: string,
    checkpoints: CheckpointStore,
    options: CheckpointedSubscriptionOptions,
    handle: (event: RecordedEvent) => Promise<void> = async () => undefined,
  ): Promise<Subscription> => {
    const subscription = await startCheckpointedSubscription(
      new PostgresEventStore(db.pool),
      checkpoints,
      { name, filter: { streamPrefixes: [`${tenant}.${name}.`] }, handle },
      { leaseRetryMs: 20, ...options },
    );
    cleanups.push(() => subscription.stop());
    return subscription;
  };
  const append = (name: string, n: number) =>
    store.appendToStream(`${tenant}.${name}.thing-${n}`, [testEvent(tenant, 'ThingHappened', { n })], {
      expectedRevision: 'no_stream',
    });

  it('stops at once when stopped just after winning the lease, and starts nothing afterwards', async () => {
    await append('won', 0);
    const checkpoints = new HeldCheckpoints(db.pool);
    const handled: RecordedEvent[] = [];
    const subscription = await start('won', checkpoints, { pool: db.pool }, async (event) => void handled.push(event));
    await checkpoints.loading.opened;
    assert.equal(await locksHeld('won'), 1, 'the lease is held while the checkpoint loads');

    assert.equal(await settlesWithin(subscription.stop(), 2_000), true, 'the stop did not wait for the load');
    assert.equal(await locksHeld('won'), 0, 'the lease was given up');
    checkpoints.gate.open();
    await sleep(200);
    assert.deepEqual(handled, [], 'nothing ran after the stop, without the lease');
    assert.equal(db.pool.totalCount - db.pool.idleCount, 0, 'every connection is back in the pool');
  });

  it('stops at once while waiting for a connection, and gives back the one the pool hands over later', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    cleanups.push(() => pool.end());
    const blocker = await pool.connect();
    const subscription = await start('exhausted', new CheckpointStore(db.pool), { pool });
    await sleep(50);
    assert.equal(pool.waitingCount, 1, 'the lease waits for the pool');

    // Stopped twice at once, as a shutdown hook and a test's cleanup may.
    assert.equal(await settlesWithin(Promise.all([subscription.stop(), subscription.stop()]), 2_000), true);
    blocker.release();
    await eventually(async () => pool.idleCount === 1 && pool.waitingCount === 0, 2_000);
    assert.equal(await locksHeld('exhausted'), 0, 'the connection handed over late took no lease');
  });

  it('gives the lease up within stopWithinMs when the event being handled does not finish', async () => {
    await append('stuck', 0);
    const stuck = gate();
    const handling = gate();
    const subscription = await start(
      'stuck',
      new CheckpointStore(db.pool),
      { pool: db.pool, stopWithinMs: 100 },
      () => {
        handling.open();
        return stuck.opened;
      },
    );
    cleanups.unshift(async () => stuck.open());
    await handling.opened;

    assert.equal(await settlesWithin(subscription.stop(), 2_000), true, 'the stop is bounded');
    assert.equal(await locksHeld('stuck'), 0, 'the lease was given up');
    stuck.open();
  });
});
