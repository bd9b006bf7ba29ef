import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { offeringsProjection } from '#libs/enrolment';
import { tenantShardOf } from '#libs/event-store';
import { appendHistory, offeringHistory, type StreamHistory } from '../fixtures/offering-history.js';
import {
  caughtUp,
  checkpointOf,
  expectedOfferings,
  projectionTestDb,
  waitFor,
  type ProjectionTestDb,
} from '../fixtures/harness.js';
import type { Projection } from '../projection.js';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';

// Tenants on both shards of two, so each runner has work of its own.
const TENANTS = ['trondheim', 'bergen', 'oslo', 'tromso', 'bodo', 'molde', 'alta', 'hamar'];
const onShard = (index: number) => TENANTS.filter((tenant) => tenantShardOf(tenant, 2) === index);

const historyOf = (tenants: readonly string[], seed: number): StreamHistory[] =>
  tenants.flatMap((tenant, n) =>
    offeringHistory({ offerings: 12, eventsPerOffering: 15, tenant, seed: seed * 100 + n + 1 }),
  );
const count = (history: readonly StreamHistory[]) => history.reduce((sum, { events }) => sum + events.length, 0);

/** A runner as one projector process would run it, with what it logged about the shards it held. */
const projector = (t: ProjectionTestDb, options: ProjectionRunnerOptions, projections: Projection[] = []) => {
  const held: string[] = [];
  const runner = new ProjectionRunner(t.db.pool, t.store, projections.length ? projections : [offeringsProjection], {
    batchSize: 50,
    idleMs: 10,
    shards: 2,
    log: (_level, message) => {
      const shard = /^holding projections:shard:(\d+)\/2/.exec(message);
      if (shard) held.push(shard[1] ?? '');
    },
    ...options,
  });
  return { runner, held };
};

const shardRows = async (t: ProjectionTestDb, tableSet: string) =>
  (
    await t.db.pool.query<{ shard: number; position: string; events_applied: string; caught_up: boolean }>(
      'SELECT shard, position, events_applied, caught_up FROM projection_shards WHERE table_set = $1 ORDER BY shard',
      [tableSet],
    )
  ).rows;

/** Each tenant's live offerings rows against the oracle folded from its history (ids repeat across tenants). */
const assertOfferings = async (t: ProjectionTestDb, history: readonly StreamHistory[]) => {
  for (const tenant of TENANTS) {
    const oracle = expectedOfferings(history.filter(({ events }) => events[0]?.metadata.tenant === tenant));
    const { rows } = await t.db.pool.query<{
      offering_id: string;
      capacity: number;
      places_held: number;
      status: string;
    }>('SELECT offering_id, capacity, places_held, status FROM offerings WHERE tenant = $1', [tenant]);
    assert.equal(rows.length, oracle.offerings.size, tenant);
    for (const row of rows)
      assert.deepEqual(
        { capacity: row.capacity, placesHeld: row.places_held, status: row.status },
        oracle.offerings.get(row.offering_id),
        `${tenant} ${row.offering_id}`,
      );
    const places = await t.db.pool.query<{ place_id: string }>(
      'SELECT place_id FROM offering_places WHERE tenant = $1',
      [tenant],
    );
    assert.deepEqual(new Set(places.rows.map((r) => r.place_id)), oracle.places, tenant);
  }
};

describe('projections split by tenant into shards (ADR 0020)', () => {
  let t: ProjectionTestDb;
  beforeAll(async () => {
    t = await projectionTestDb('proj_shards');
  });
  afterAll(async () => t.db.drop());

  it('puts every tenant on one shard, the same one every time, and spreads tenants over the shards', () => {
    assert.ok(onShard(0).length >= 2 && onShard(1).length >= 2, `${onShard(0).join()} | ${onShard(1).join()}`);
    // On record: a change of the hash would move the tenants of every split set already built.
    assert.deepEqual(
      [
        tenantShardOf('trondheim', 2),
        tenantShardOf('oslo', 4),
        tenantShardOf('kommune-001', 8),
        tenantShardOf('bergen', 64),
      ],
      [1, 3, 6, 25],
    );
    const many = Array.from({ length: 356 }, (_, n) => `kommune-${String(n).padStart(3, '0')}`);
    const sizes = [0, 1, 2, 3].map((index) => many.filter((tenant) => tenantShardOf(tenant, 4) === index).length);
    for (const size of sizes) assert.ok(size > 356 / 4 / 2, `shards of 356 tenants: ${sizes.join(', ')}`);
  });

  it('two projectors, one home shard each, build what one would: each event applied once, the set at the lowest shard', async () => {
    const history = historyOf(TENANTS, 1);
    await appendHistory(t.store, history);
    const first = projector(t, { homeShards: [0], foreignShardRetryMs: 60_000 });
    const second = projector(t, { homeShards: [1], foreignShardRetryMs: 60_000 });
    await first.runner.start();
    await second.runner.start();
    await waitFor('catch-up', caughtUp(t.store, t.db.pool, 'offerings@v1', offeringsProjection.eventTypes));
    await Promise.all([first.runner.stop(), second.runner.stop()]);

    assert.deepEqual([first.held, second.held], [['0'], ['1']], 'each projector ran its home shard only');
    await assertOfferings(t, history);
    const shards = await shardRows(t, 'offerings@v1');
    const ofShard = (index: number) =>
      count(history.filter(({ events }) => onShard(index).includes(events[0]?.metadata.tenant ?? '')));
    assert.deepEqual(
      shards.map((s) => Number(s.events_applied)),
      [ofShard(0), ofShard(1)],
      'each shard applied its own tenants’ events',
    );
    const checkpoint = await checkpointOf(t.db.pool, 'offerings@v1');
    assert.equal(Number(checkpoint?.events_applied), count(history), 'every event applied once');
    const lowest = shards.map((s) => BigInt(s.position)).reduce((a, b) => (a < b ? a : b));
    assert.equal(BigInt(checkpoint?.position ?? '-1'), lowest);
  });

  it('hands a stopped projector’s shard to the other, and back when it returns, without losing or doubling an event', async () => {
    const fast = { foreignShardRetryMs: 200, foreignShardHoldMs: 600 };
    const first = projector(t, { homeShards: [0], ...fast });
    const second = projector(t, { homeShards: [1], ...fast });
    await first.runner.start();
    await second.runner.start();
    await first.runner.stop(); // shard 0 has no owner now

    const more = historyOf(TENANTS, 2);
    await appendHistory(t.store, more);
    await waitFor(
      'catch-up by the other projector',
      caughtUp(t.store, t.db.pool, 'offerings@v1', offeringsProjection.eventTypes),
    );
    assert.ok(second.held.includes('0'), `the second projector took shard 0 over (held ${second.held.join()})`);

    const back = projector(t, { homeShards: [0], ...fast });
    await back.runner.start();
    await waitFor('shard 0 back home', async () => back.held.includes('0'), 10_000);
    const last = historyOf(TENANTS, 3);
    await appendHistory(t.store, last);
    await waitFor('catch-up', caughtUp(t.store, t.db.pool, 'offerings@v1', offeringsProjection.eventTypes));
    await Promise.all([back.runner.stop(), second.runner.stop()]);

    const all = [...historyOf(TENANTS, 1), ...more, ...last];
    await assertOfferings(t, all);
    assert.equal(Number((await checkpointOf(t.db.pool, 'offerings@v1'))?.events_applied), count(all));
  });

  it('keeps the set at the head when only one shard’s tenants record events (an idle shard does not hold it back)', async () => {
    const first = projector(t, { homeShards: [0], foreignShardRetryMs: 60_000 });
    const second = projector(t, { homeShards: [1], foreignShardRetryMs: 60_000 });
    await first.runner.start();
    await second.runner.start();
    const idleBefore = Number((await shardRows(t, 'offerings@v1'))[0]?.events_applied);
    const busy = historyOf(onShard(1), 4);
    await appendHistory(t.store, busy);
    await waitFor('the set at the head', caughtUp(t.store, t.db.pool, 'offerings@v1', offeringsProjection.eventTypes));
    await Promise.all([first.runner.stop(), second.runner.stop()]);
    const [idle] = await shardRows(t, 'offerings@v1');
    const { rows } = await t.db.pool.query<{ head: string }>('SELECT max(position)::text AS head FROM es_events');
    assert.ok(BigInt(idle?.position ?? '0') >= BigInt(rows[0]?.head ?? '1'), 'the idle shard moved to the head');
    assert.equal(Number(idle?.events_applied), idleBefore, 'without applying an event');
  });

  it('switches the views to a new split version only once every shard has caught up', async () => {
    const v2: Projection = { ...offeringsProjection, version: 2 };
    const liveVersion = async () =>
      (await t.db.pool.query<{ version: number }>("SELECT version FROM projection_live WHERE projection = 'offerings'"))
        .rows[0]?.version;
    const first = projector(t, { homeShards: [0], foreignShardRetryMs: 60_000 }, [v2]);
    await first.runner.start();
    await waitFor('shard 0 of v2 caught up', async () => (await shardRows(t, 'offerings@v2'))[0]?.caught_up === true);
    assert.equal(await liveVersion(), 1, 'one shard at the head is not the whole read model');
    assert.equal((await checkpointOf(t.db.pool, 'offerings@v2'))?.status, 'rebuilding');

    const second = projector(t, { homeShards: [1], foreignShardRetryMs: 60_000 }, [v2]);
    await second.runner.start();
    await waitFor('v2 live', async () => (await liveVersion()) === 2);
    await Promise.all([first.runner.stop(), second.runner.stop()]);
    assert.equal((await checkpointOf(t.db.pool, 'offerings@v2'))?.status, 'running');
    await assertOfferings(t, [
      ...historyOf(TENANTS, 1),
      ...historyOf(TENANTS, 2),
      ...historyOf(TENANTS, 3),
      ...historyOf(onShard(1), 4),
    ]);
  });
});
