import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from '@jest/globals';
import type { AllStreamRecordedEvent as EsdbEvent, EventStoreDBClient, Filter } from '@eventstore/db-client';
import type { RecordedEvent } from '../envelope.js';
import { waitFor } from '../contract/event-store.contract.js';
import { filteredSubscription } from './filtered-subscription.js';

// The supervision alone, over an in-memory stand-in for the server's subscription stream (the contract suite runs
// the real one when EVENTSTORE_CONNECTION_STRING is set): order, resumption after an error, the caught-up signal.
const raw = (n: number): EsdbEvent =>
  ({
    id: `e${n}`,
    type: 'ApplicationSubmitted',
    streamId: 'trondheim.waitlist.offering-1',
    position: { commit: BigInt(n * 10), prepare: BigInt(n * 10) },
  }) as unknown as EsdbEvent;

const standInServer = (log: EsdbEvent[]) => {
  const opened: { from: bigint | undefined; filter: Filter | undefined }[] = [];
  let live: Readable | undefined;
  const client = {
    subscribeToAll({ fromPosition, filter }: { fromPosition: unknown; filter?: Filter }) {
      const from = typeof fromPosition === 'object' ? (fromPosition as { commit: bigint }).commit : undefined;
      opened.push({ from, filter });
      const stream = Object.assign(new Readable({ objectMode: true, read() {} }), {
        unsubscribe: async () => {
          stream.push(null);
        },
      });
      // The server starts after the position it is given, then says it is live.
      for (const event of log.filter((e) => from === undefined || e.position.commit > from)) stream.push({ event });
      setImmediate(() => stream.emit('caughtUp'));
      live = stream;
      return stream;
    },
  } as unknown as EventStoreDBClient;
  return { client, opened, append: (event: EsdbEvent) => live?.push({ event }) };
};

const accept = (e: EsdbEvent): RecordedEvent =>
  ({
    eventId: e.id,
    type: e.type,
    position: e.position.commit,
    data: { n: Number(e.position.commit) / 10 },
  }) as unknown as RecordedEvent;

describe('the EventStoreDB filtered subscription', () => {
  it('delivers after its checkpoint in order, says when it is live, and goes on with live events', async () => {
    const server = standInServer([raw(1), raw(2), raw(3)]);
    const seen: number[] = [];
    const caughtUpAt: (bigint | undefined)[] = [];
    const subscription = filteredSubscription(
      { client: server.client, accept },
      {
        fromPosition: 10n,
        filter: { eventTypes: ['ApplicationSubmitted'] },
        // Slow enough that the server says "live" while events it sent before are still being handled.
        onEvent: async (e) => {
          await sleep(20);
          seen.push((e.data as { n: number }).n);
        },
        onCaughtUp: (position) => caughtUpAt.push(position),
      },
    );
    await waitFor(() => caughtUpAt.length === 1);
    server.append(raw(4));
    await waitFor(() => seen.length === 3);
    await subscription.stop();
    assert.deepEqual(seen, [2, 3, 4]);
    assert.equal(caughtUpAt[0], 30n, 'live only once every event sent before was handled');
    assert.equal(subscription.position, 40n);
    assert.equal(server.opened[0]?.filter?.filterOn, 'eventType', 'the server filters');
  });

  it('after a handler error subscribes again from the last delivered event: no gap, no duplicate', async () => {
    const server = standInServer([raw(1), raw(2), raw(3), raw(4)]);
    const seen: number[] = [];
    const errors: number[] = [];
    let failOnce = true;
    const subscription = filteredSubscription(
      { client: server.client, accept },
      {
        retry: { initialDelayMs: 5, maxDelayMs: 10 },
        onEvent: async (e) => {
          const n = (e.data as { n: number }).n;
          if (n === 3 && failOnce) {
            failOnce = false;
            throw new Error('projection bug');
          }
          seen.push(n);
        },
        onError: (_error, attempt) => errors.push(attempt),
      },
    );
    await waitFor(() => seen.length === 4);
    await subscription.stop();
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.deepEqual(errors, [1]);
    assert.deepEqual(
      server.opened.map((o) => o.from),
      [undefined, 20n],
    );
  });
});
