import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '#libs/database';
import {
  eventStoreMigrations,
  PostgresEventStore,
  streamName,
  tenantShardOf,
  type RecordedEvent,
} from '#libs/event-store';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { AdjustableClock } from '../clock/clock.js';
import { checkpointMigrations, CheckpointStore } from '../subscriptions/checkpoints.js';
import { ProcessManager, type ProcessManagerDeps } from './process-manager.js';

// Municipalities in both of two shards (checked below), so each process has tenants of its own.
const tenants = ['oslo', 'bergen', 'trondheim', 'stavanger', 'tromso', 'bodo', 'alta', 'molde'];
const shardOf = (tenant: string) => tenantShardOf(tenant, 2);

/** Notes which tenant's events it handled, and which tenants' deadlines it would run now (owns). */
class Noting extends ProcessManager {
  readonly handled: { tenant: string; n: number }[] = [];

  constructor(deps: ProcessManagerDeps) {
    super(deps, {
      ...{ name: 'noting', context: 'noting', refusedType: 'NotingStepRefused', eventTypes: ['SomethingNoted'] },
      ...{ leaseRetryMs: 50, foreignHoldMs: 400 },
    });
  }

  protected override async handle(event: RecordedEvent): Promise<void> {
    this.handled.push({ tenant: event.metadata.tenant, n: (event.data as { n: number }).n });
  }

  protected override async onStepRefused(): Promise<void> {}

  ownsNow(tenant: string): boolean {
    return this.owns(tenant);
  }
}

describe('process managers split by tenant into shards', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const running: Noting[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('process_manager_shards');
    await migrate(db.pool, [...eventStoreMigrations, ...checkpointMigrations]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    for (const manager of running) await manager.onApplicationShutdown();
    await db.drop();
  });

  const start = async (home: number) => {
    const deps: ProcessManagerDeps = {
      store: new PostgresEventStore(db.pool),
      pool: db.pool,
      checkpoints: new CheckpointStore(db.pool),
      clock: new AdjustableClock(new Date('2026-09-01T08:00:00Z')),
      sharding: { shards: 2, homeShards: [home] },
    };
    const manager = new Noting(deps);
    running.push(manager);
    await manager.onApplicationBootstrap();
    return manager;
  };
  const note = async (n: number) => {
    for (const tenant of tenants) {
      const event = testEvent(tenant, 'SomethingNoted', { n });
      await store.appendToStream(streamName(tenant, 'noting', 'note', `${n}`), [event], {
        expectedRevision: 'no_stream',
      });
    }
  };
  const ofRound = (manager: Noting, n: number) =>
    manager.handled
      .filter((handled) => handled.n === n)
      .map((handled) => handled.tenant)
      .sort();
  const inShard = (shard: number) => tenants.filter((tenant) => shardOf(tenant) === shard).sort();

  it('runs each shard in the process whose home it is, hands a borrowed shard back, and takes over a stopped one', async () => {
    expect(inShard(0).length).toBeGreaterThan(0);
    expect(inShard(1).length).toBeGreaterThan(0);

    // The first process up runs both shards until the second's home comes back to it.
    const first = await start(0);
    await note(1);
    await eventually(async () => ofRound(first, 1).length === tenants.length);
    expect(ofRound(first, 1)).toEqual([...tenants].sort());

    const second = await start(1);
    await eventually(async () => tenants.every((tenant) => first.ownsNow(tenant) === (shardOf(tenant) === 0)));
    await eventually(async () => tenants.every((tenant) => second.ownsNow(tenant) === (shardOf(tenant) === 1)));

    // Settled: each event is handled once, by the holder of its tenant's shard.
    await note(2);
    await eventually(async () => ofRound(first, 2).length + ofRound(second, 2).length >= tenants.length);
    expect(ofRound(first, 2)).toEqual(inShard(0));
    expect(ofRound(second, 2)).toEqual(inShard(1));

    // The second stops: its shard is taken over from where it stood, and its tenants' deadlines go with it.
    await second.onApplicationShutdown();
    await note(3);
    await eventually(async () => ofRound(first, 3).length === tenants.length);
    expect(ofRound(first, 3)).toEqual([...tenants].sort());
    expect(tenants.every((tenant) => first.ownsNow(tenant))).toBe(true);
    expect(ofRound(second, 3)).toEqual([]);
    // Nothing of round 2 came again to the process that took the shard over: it started at the saved checkpoint.
    expect(ofRound(first, 2)).toEqual(inShard(0));
  });

  it('starts the shards of a new split where every earlier split had got to', async () => {
    const checkpoints = new CheckpointStore(db.pool);
    await checkpoints.save('split', 40n);
    await checkpoints.save('split:shard:0/2', 70n);
    await checkpoints.save('split:shard:1/2', 55n);
    await checkpoints.save('splitting', 5n); // another subscriber, whose name only starts alike

    await checkpoints.seed('split:shard:2/3', 'split');
    expect(await checkpoints.load('split:shard:2/3')).toBe(40n);
    // One that exists keeps its own position.
    await checkpoints.seed('split:shard:0/2', 'split');
    expect(await checkpoints.load('split:shard:0/2')).toBe(70n);
    // A subscriber with no checkpoint at all starts from the beginning, as before.
    await checkpoints.seed('fresh:shard:0/2', 'fresh');
    expect(await checkpoints.load('fresh:shard:0/2')).toBeUndefined();
  });
});
