import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { DomainError, type Decider } from '#libs/decider';
import { eventStoreMigrations, PostgresEventStore, streamName, type RecordedEvent } from '#libs/event-store';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { AdjustableClock } from '../clock/clock.js';
import { StreamCommandHandler } from '../commands/stream-command-handler.js';
import { checkpointMigrations, CheckpointStore } from '../subscriptions/checkpoints.js';
import { ProcessManager, type ProcessManagerDeps } from './process-manager.js';
import { processStream, type ProcessStepRefusedData } from './step-refused.js';

const tenant = 'frame';

class TallyIsClosed extends DomainError {
  readonly kind = 'conflict';
}
class ThingAlreadyCounted extends DomainError {
  readonly kind = 'conflict';
}

type CountThing = { type: 'CountThing'; data: { n: number; closed: boolean } };
type ThingCounted = { type: 'ThingCounted'; data: { n: number } };

/** A target that refuses by a rule (a closed tally) and, like the real deciders, refuses a thing counted before. */
const tally: Decider<CountThing, ThingCounted, number[]> = {
  initialState: [],
  evolve: (counted, event) => [...counted, event.data.n],
  decide: ({ data }, counted) => {
    if (data.closed) throw new TallyIsClosed('The tally is closed for new things');
    if (counted.includes(data.n)) throw new ThingAlreadyCounted(`Thing ${data.n} is already counted`);
    return [{ type: 'ThingCounted', data: { n: data.n } }];
  },
};

/** A process manager of things: each ThingHappened is counted on a tally, and deadlines tick. */
class Counting extends ProcessManager {
  readonly handled: number[] = [];
  readonly sent: number[] = [];
  readonly refusals: ProcessStepRefusedData[] = [];
  ticks = 0;
  inTick = false;

  constructor(
    deps: ProcessManagerDeps,
    readonly name: string,
    private readonly tallyId: string,
    tickEveryMs?: number,
  ) {
    super(deps, {
      ...{ name, context: 'counting', refusedType: `${pascal(name)}StepRefused` },
      ...{ eventTypes: [`${pascal(name)}ThingHappened`], tickEveryMs, leaseRetryMs: 50 },
    });
  }

  get target() {
    return streamName(tenant, 'counting', 'tally', this.tallyId);
  }

  protected override async handle(event: RecordedEvent): Promise<void> {
    const { n, closed } = event.data as CountThing['data'];
    this.handled.push(n);
    const cause = this.causeOf(event);
    const context = this.contextFor(cause, 'count');
    await this.runStep(cause, context, {
      command: 'CountThing',
      target: { stream: this.target, id: this.tallyId },
      send: () => {
        this.sent.push(n);
        const command: CountThing = { type: 'CountThing', data: { n, closed } };
        return new StreamCommandHandler(this.deps.store).handle(this.target, tally, command, context);
      },
    });
  }

  protected override async onStepRefused(refusal: ProcessStepRefusedData): Promise<void> {
    this.refusals.push(refusal);
  }

  protected override async tick(): Promise<void> {
    this.inTick = true;
    await sleep(30);
    this.ticks++;
    this.inTick = false;
  }
}

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

describe('a process manager', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const clock = new AdjustableClock(new Date('2025-09-01T08:00:00Z'));
  const running: Counting[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('process_manager');
    await migrate(db.pool, [...eventStoreMigrations, ...checkpointMigrations]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    for (const manager of running) await manager.onApplicationShutdown();
    await db.drop();
  });

  const start = async (name: string, tallyId: string, tickEveryMs?: number) => {
    const deps = {
      store: new PostgresEventStore(db.pool),
      pool: db.pool,
      checkpoints: new CheckpointStore(db.pool),
      clock,
    };
    const manager = new Counting(deps, name, tallyId, tickEveryMs);
    running.push(manager);
    await manager.onApplicationBootstrap();
    return manager;
  };
  const happen = async (name: string, n: number, closed = false) => {
    const event = testEvent(tenant, `${pascal(name)}ThingHappened`, { n, closed });
    await store.appendToStream(streamName(tenant, 'things', 'thing', `${name}-${n}`), [event], {
      expectedRevision: 'no_stream',
    });
    return event.eventId;
  };

  it('runs in one of two instances, and the other takes over when it shuts down', async () => {
    const [a, b] = [await start('lease', 'lease'), await start('lease', 'lease')];
    for (const n of [1, 2, 3]) await happen('lease', n);
    await eventually(async () => a.handled.length + b.handled.length === 3);
    const [holder, other] = a.handled.length > 0 ? [a, b] : [b, a];
    expect(holder.handled).toEqual([1, 2, 3]);
    expect(other.handled).toEqual([]);

    await holder.onApplicationShutdown();
    await happen('lease', 4);
    await eventually(async () => other.handled.length === 1);
    expect(other.handled).toEqual([4]);
  });

  it('ticks until it shuts down, and shutting down waits for the tick that is running', async () => {
    const manager = await start('ticking', 'ticking', 10);
    await eventually(async () => manager.ticks >= 3);
    await eventually(async () => manager.inTick);
    await manager.onApplicationShutdown();
    expect(manager.inTick).toBe(false);
    const ticks = manager.ticks;
    await sleep(100);
    expect(manager.ticks).toBe(ticks);
  });

  it('records a refused step once however often its event comes, and nothing for a redelivered step that took effect', async () => {
    const manager = await start('refusals', 'refusals');
    const refusedBy = await happen('refusals', 1, true);
    await happen('refusals', 2);
    const refusalStream = processStream(tenant, 'counting', 'refusals');
    expect(refusalStream).toBe('frame.counting.process-refusals');
    await eventually(async () => manager.refusals.length === 1 && manager.handled.length === 2);

    // Delivered again from the start: thing 2 is refused as already counted, which is its own earlier success.
    await manager.onApplicationShutdown();
    await db.pool.query('DELETE FROM subscription_checkpoints WHERE name = $1', ['refusals']);
    await manager.onApplicationBootstrap();
    await eventually(async () => manager.sent.length === 4 && manager.refusals.length === 2);
    expect(manager.sent).toEqual([1, 2, 1, 2]);

    const recorded = await store.readStream(refusalStream);
    expect(recorded).toHaveLength(1);
    const [refusal] = recorded;
    expect(refusal?.type).toBe('RefusalsStepRefused');
    expect(refusal?.data).toEqual({
      manager: 'refusals',
      step: 'CountThing',
      trigger: { eventId: refusedBy, type: 'RefusalsThingHappened' },
      target: { stream: 'frame.counting.tally-refusals', id: 'refusals' },
      refusal: { code: 'TallyIsClosed', kind: 'conflict', message: 'The tally is closed for new things' },
      refusedAt: '2025-09-01T08:00:00.000Z',
    });
    expect(refusal?.metadata.actor).toEqual({ id: 'refusals-process', role: 'system' });
    expect(manager.refusals).toEqual([refusal?.data, refusal?.data]);
    expect((await store.readStream(manager.target)).map((e) => e.data)).toEqual([{ n: 2 }]);
  });
});
