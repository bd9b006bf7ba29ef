import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, type RecordedEvent, type Subscription } from '#libs/event-store';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { checkpointMigrations, CheckpointStore } from './checkpoints.js';
import { startCheckpointedSubscription } from './checkpointed-subscription.js';

const tenant = 'lease';

describe('a checkpointed subscriber run by several processes at once', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let checkpoints: CheckpointStore;
  const running: Subscription[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('lease');
    await migrate(db.pool, [...eventStoreMigrations, ...checkpointMigrations]);
    store = new PostgresEventStore(db.pool);
    checkpoints = new CheckpointStore(db.pool);
  });
  afterAll(async () => {
    for (const subscription of running) await subscription.stop();
    await db.drop();
  });

  /** Two "processes" of one subscriber: each its own store and pool-backed lease on the same database. */
  const instances = async (name: string) => {
    const handled: Record<'a' | 'b', number[]> = { a: [], b: [] };
    const start = async (instance: 'a' | 'b') => {
      const subscription = await startCheckpointedSubscription(
        new PostgresEventStore(db.pool),
        checkpoints,
        {
          name,
          filter: { streamPrefixes: [`${tenant}.${name}.`] },
          handle: async (event: RecordedEvent) => void handled[instance].push((event.data as { n: number }).n),
        },
        { pool: db.pool, leaseRetryMs: 50 },
      );
      running.push(subscription);
      return subscription;
    };
    const append = async (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        await store.appendToStream(`${tenant}.${name}.thing-${n}`, [testEvent(tenant, 'ThingHappened', { n })], {
          expectedRevision: 'no_stream',
        });
      }
    };
    return { handled, a: await start('a'), b: await start('b'), append };
  };
  const all = (handled: Record<'a' | 'b', number[]>) => [...handled.a, ...handled.b].sort((x, y) => x - y);
  const holder = (handled: Record<'a' | 'b', number[]>) => (handled.a.length > 0 ? 'a' : 'b');

  it('runs in one process only, and the other takes over from the checkpoint when it stops', async () => {
    const { handled, a, b, append } = await instances('stopping');
    await append(0, 5);
    await eventually(async () => all(handled).length === 5);
    const first = holder(handled);
    assert.deepEqual(handled[first], [0, 1, 2, 3, 4]);
    assert.deepEqual(handled[first === 'a' ? 'b' : 'a'], [], 'the other process waited');

    await (first === 'a' ? a : b).stop();
    await append(5, 8);
    const second = first === 'a' ? 'b' : 'a';
    await eventually(async () => handled[second].length === 3);
    assert.deepEqual(handled[second], [5, 6, 7], 'from the checkpoint: nothing again, nothing skipped');
  });

  it('gives the lease up when its connection is cut, and carries on from the checkpoint, every event at least once', async () => {
    const { handled, append } = await instances('cut');
    await append(0, 3);
    await eventually(async () => all(handled).length === 3);
    const { rows } = await db.pool.query<{ cut: boolean }>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objid = hashtext('lease:cut')::oid`,
    );
    assert.deepEqual(rows, [{ cut: true }], 'the lease’s connection was cut');
    await append(3, 6);
    await eventually(async () => new Set(all(handled)).size === 6);
    assert.deepEqual([...new Set(all(handled))], [0, 1, 2, 3, 4, 5]);
    const { rows: held } = await db.pool.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext('lease:cut')::oid`,
    );
    assert.equal(held.length, 1, 'held again, by one process');
  });
});
