import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Decider } from '#libs/decider';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, type EventStore, type ReadStreamOptions } from '#libs/event-store';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { newCommandContext } from './command-context.js';
import { StreamCommandHandler } from './stream-command-handler.js';

/** A tally: each `Add` records its amount and the total it makes, so a fold that missed an event shows. */
type Tally = { total: number; count: number };
type Add = { type: 'Add'; data: { amount: number }; metadata: { now: string } };
type Added = { type: 'Added'; data: { amount: number; total: number } };
const tally: Decider<Add, Added, Tally> = {
  initialState: { total: 0, count: 0 },
  evolve: (state, event) => ({ total: event.data.total, count: state.count + 1 }),
  decide: (command, state) => [
    { type: 'Added', data: { amount: command.data.amount, total: state.total + command.data.amount } },
  ],
};

describe('commands on a stream, folded once and read forward', () => {
  let db: TestDatabase;
  let store: EventStore;
  const reads: { stream: string; from: number }[] = [];
  const principal = { subject: 'admin-1', tenant: 'trondheim', role: 'admin' as const };
  const add = (handler: StreamCommandHandler, stream: string, amount: number, commandId?: string) => {
    const context = { ...newCommandContext(principal, { now: new Date() }), ...(commandId ? { commandId } : {}) };
    return handler.handle(
      stream,
      tally,
      { type: 'Add', data: { amount }, metadata: { now: context.now.toISOString() } },
      context,
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase('stream_command_handler');
    await migrate(db.pool, eventStoreMigrations);
    const real = new PostgresEventStore(db.pool);
    // The real store, recording where each read of a stream began.
    store = new Proxy(real, {
      get: (target, name) =>
        name === 'readStream'
          ? (stream: string, options?: ReadStreamOptions) => {
              reads.push({ stream, from: options?.fromRevision ?? 0 });
              return target.readStream(stream, options);
            }
          : Reflect.get(target, name, target),
    });
  });
  afterAll(() => db.drop());

  it('reads a stream once, then appends on its own fold, and decides on the whole stream', async () => {
    const handler = new StreamCommandHandler(store);
    reads.length = 0;
    for (const amount of [1, 2, 3]) await add(handler, 'trondheim.test.tally-1', amount);
    expect(reads.map((r) => r.from)).toEqual([0]);
    const { state, revision } = await add(handler, 'trondheim.test.tally-1', 4);
    expect(state).toEqual({ total: 10, count: 4 });
    expect(revision).toBe(3);
    expect(await store.readStream('trondheim.test.tally-1')).toHaveLength(4);
  });

  it('takes commands on one stream in turn: none of them has to retry, none is lost', async () => {
    const handler = new StreamCommandHandler(store);
    const stream = 'trondheim.test.tally-4';
    await add(handler, stream, 1);
    reads.length = 0;
    const appends = jest.spyOn(store, 'appendToStream');
    await Promise.all(Array.from({ length: 20 }, (_, i) => add(handler, stream, i + 2)));
    expect(appends).toHaveBeenCalledTimes(20);
    appends.mockRestore();
    expect(reads).toEqual([]);
    const totals = (await store.readStream(stream)).map((e) => (e.data as Added['data']).total);
    expect(totals).toHaveLength(21);
    expect(totals.at(-1)).toBe((21 * 22) / 2);
  });

  it('refuses only on a fresh read: a refusal on an out-of-date fold is decided again', async () => {
    // A capped tally: refuses an amount that would take the total past 10.
    const capped: Decider<Add, Added, Tally> = {
      ...tally,
      decide: (command, state) => {
        if (state.total + command.data.amount > 10) throw new Error(`over the cap at ${state.total}`);
        return tally.decide(command, state);
      },
    };
    const here = new StreamCommandHandler(store);
    const there = new StreamCommandHandler(store);
    const stream = 'trondheim.test.tally-5';
    const addCapped = (handler: StreamCommandHandler, amount: number) => {
      const context = newCommandContext(principal, { now: new Date() });
      const command: Add = { type: 'Add', data: { amount }, metadata: { now: context.now.toISOString() } };
      return handler.handle(stream, capped, command, context);
    };
    await addCapped(here, 9);
    // Another process takes the total down (a negative amount); `here` still holds the fold at 9.
    await addCapped(there, -5);
    expect((await addCapped(here, 5)).state).toEqual({ total: 9, count: 3 });
    await expect(addCapped(here, 2)).rejects.toThrow('over the cap at 9');
  });

  it('folds in what another process appended meanwhile, and a stale fold costs a retry, never an event', async () => {
    const here = new StreamCommandHandler(store);
    const there = new StreamCommandHandler(store);
    const stream = 'trondheim.test.tally-2';
    await add(here, stream, 1);
    await add(there, stream, 10);
    await add(there, stream, 100);
    // `here` folded revision 0 only; it reads the two others' events before it decides.
    const { state } = await add(here, stream, 1000);
    expect(state).toEqual({ total: 1111, count: 4 });
    // Racing: both hold folds at revision 3; one append wins, the other retries on a fresh read.
    await Promise.all([add(here, stream, 5), add(there, stream, 7)]);
    const stored = await store.readStream(stream);
    expect(stored.map((e) => (e.data as Added['data']).total)).toEqual([1, 11, 111, 1111, expect.any(Number), 1123]);
    expect((await add(here, stream, 0)).state).toEqual({ total: 1123, count: 7 });
  });

  it('does not keep the state of a repeated command, which may sit behind later events', async () => {
    const handler = new StreamCommandHandler(store);
    const stream = 'trondheim.test.tally-3';
    await add(handler, stream, 1, 'command-a');
    await add(new StreamCommandHandler(store), stream, 2);
    // The same command again is a duplicate append: nothing new is stored.
    await add(handler, stream, 1, 'command-a');
    expect(await store.readStream(stream)).toHaveLength(2);
    expect((await add(handler, stream, 4)).state).toEqual({ total: 7, count: 3 });
  });
});
