import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CheckpointStore } from '#libs/platform';
import { startKafkaBroker, type KafkaBroker } from '#libs/testing';
import { outboundValidator } from '../contracts/validation.js';
import { collect, type Collector } from './fixtures/collector.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { Relay } from './relay.js';
import { keysOf, relayTestBed, type RelayTestBed } from './relay-test-setup.js';
import type { RelayStatusSnapshot } from './relay-status.js';

const until = async (what: string, done: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
};

describe('relay while the broker is stopped for a while', () => {
  let broker: KafkaBroker;
  let bed: RelayTestBed;
  let relay: Relay;
  let before_: string[];
  let during: string[];
  let whileDown: RelayStatusSnapshot;
  let firstPositionDuringOutage: bigint;
  let consumer: Collector | undefined;

  beforeAll(async () => {
    broker = await startKafkaBroker();
    bed = await relayTestBed('relay_outage');
    relay = new Relay(
      bed.store,
      new CheckpointStore(bed.db.pool),
      new KafkaPublisher({ brokers: [broker.brokers] }),
      outboundValidator(),
      { batchSize: 100, retry: { initialDelayMs: 100, maxDelayMs: 1_000 }, slowAckMs: 1_000 },
    );
    before_ = await bed.appendSamples(0, 5);
    await relay.start();
    await until('the first events to be published', () => {
      const status = relay.status.current();
      return status.caughtUp && status.publishedMessages >= before_.length;
    });
    await broker.pause();
    // Commands keep working: the store accepts appends while Kafka is down.
    during = await bed.appendSamples(5, 15);
    const { rows } = await bed.db.pool.query<{ first: string }>(
      'SELECT min(position) AS first FROM es_events WHERE event_id = ANY ($1::uuid[])',
      [during.map((key) => key.split(' ')[1])],
    );
    firstPositionDuringOutage = BigInt(rows[0]?.first ?? '0');
    await until('the relay to report degraded', () => relay.status.current().state === 'degraded');
    whileDown = relay.status.current();
    await broker.resume();
    await until(
      'the relay to catch up',
      () => {
        const status = relay.status.current();
        return (
          status.state === 'connected' && status.caughtUp && status.publishedMessages >= before_.length + during.length
        );
      },
      120_000,
    );
    consumer = await collect(broker.brokers, bed.tenant);
    await consumer.until((received) => received.length >= before_.length + during.length);
  });
  afterAll(async () => {
    await relay.stop();
    await consumer?.stop();
    await bed.db.drop();
    await broker.stop();
  });

  it('shows itself degraded with a reason while the broker is down, and does not move its checkpoint', async () => {
    assert.equal(whileDown.state, 'degraded');
    assert.ok(whileDown.lastError && whileDown.degradedSince, JSON.stringify(whileDown));
    assert.ok(
      whileDown.checkpoint !== null && BigInt(whileDown.checkpoint) < firstPositionDuringOutage,
      'the checkpoint stays before the first unacknowledged event',
    );
  });

  it('loses nothing: every event appended before and during the outage arrives', () => {
    const got = new Set(keysOf(consumer?.received ?? []));
    assert.deepEqual(
      [...before_, ...during].filter((key) => !got.has(key)),
      [],
    );
  });

  it('is connected again after the broker is back', () => assert.equal(relay.status.current().state, 'connected'));
});
