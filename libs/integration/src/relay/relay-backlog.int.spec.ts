import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Kafka, logLevel, type ConfigResourceTypes } from 'kafkajs';
import { CheckpointStore } from '#libs/platform';
import { outboundValidator } from '../contracts/validation.js';
import type { IntegrationMessage } from '../translation/integration-message.js';
import { translate } from '../translation/translate.js';
import { collect, type Collector } from './fixtures/collector.js';
import { feesAssessed, householdStream } from './fixtures/sized-events.js';
import { KafkaPublisher, type MessageSink } from './kafka-publisher.js';
import { kafkaRecordBytes } from './message-size.js';
import { Relay } from './relay.js';
import { PostgresRelayParking } from './relay-parking.js';
import { brokersFromRunner, relayTestBed, type RelayTestBed } from './relay-test-setup.js';

/** message.max.bytes as Kafka ships it: 1 MiB plus the 12-byte log overhead. */
const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
const HOUSEHOLDS = 1_100;
const PER_HOUSEHOLD = 10;
const EVENTS = HOUSEHOLDS * PER_HOUSEHOLD;
/** The relay's default read batch, which used to be sent as one request. */
const READ_BATCH = 2_000;

/** Passes every request on, noting its size as Kafka records. */
class MeasuringSink implements MessageSink {
  readonly requestBytes: number[] = [];
  constructor(private readonly inner: KafkaPublisher) {}
  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    await this.inner.publish(messages);
    this.requestBytes.push(messages.reduce((sum, m) => sum + kafkaRecordBytes(m), 0));
  }
  close = () => this.inner.close();
  limits = (fresh?: boolean) => this.inner.limits(fresh);
}

describe('relay on a broker with Kafka’s default limits, a backlog of more than 10,000 events', () => {
  let bed: RelayTestBed;
  let relay: Relay;
  let sink: MeasuringSink;
  let consumer: Collector;
  let expectedIds: string[];
  let brokerMaxMessageBytes: string | undefined;
  let firstBatchBytes = 0;
  let publishSeconds = 0;

  beforeAll(async () => {
    const brokers = brokersFromRunner();
    const kafka = new Kafka({
      clientId: 'relay-backlog-spec',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { brokers: nodes } = await admin.describeCluster();
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: 4 as ConfigResourceTypes /* BROKER */,
            name: String(nodes[0]?.nodeId),
            configNames: ['message.max.bytes'],
          },
        ],
      });
      brokerMaxMessageBytes = resources[0]?.configEntries.find(
        (e) => e.configName === 'message.max.bytes',
      )?.configValue;
    } finally {
      await admin.disconnect();
    }

    bed = await relayTestBed('relay_backlog');
    // Appended with the store directly, before the relay starts: a backlog, as after a seed or an import.
    expectedIds = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let h = next++; h < HOUSEHOLDS; h = next++) {
          const household = `h${h}`;
          const events = Array.from({ length: PER_HOUSEHOLD }, (_, index) =>
            feesAssessed(bed.tenant, household, index, 6, 'relay-backlog'),
          );
          await bed.store.appendToStream(householdStream(bed.tenant, household), events, {
            expectedRevision: 'no_stream',
          });
          expectedIds.push(...events.map((e) => e.eventId));
        }
      }),
    );
    const firstBatch = await bed.store.readAll({ maxCount: READ_BATCH });
    firstBatchBytes = firstBatch.events.flatMap(translate).reduce((sum, m) => sum + kafkaRecordBytes(m), 0);

    consumer = await collect(brokers, bed.tenant);
    sink = new MeasuringSink(new KafkaPublisher({ brokers: brokers.split(',') }));
    relay = new Relay(bed.store, new CheckpointStore(bed.db.pool), sink, outboundValidator(), {
      parking: new PostgresRelayParking(bed.db.pool),
    });
    const head = (await bed.store.headPosition()) ?? 0n;
    const started = Date.now();
    await relay.start();
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { checkpoint, caughtUp } = relay.status.current();
      if (caughtUp && checkpoint !== null && BigInt(checkpoint) >= head) break;
      if (Date.now() > deadline)
        throw new Error(`the checkpoint did not reach the head: ${JSON.stringify(relay.status.current())}`);
      await sleep(50);
    }
    publishSeconds = (Date.now() - started) / 1000;
    await consumer.until((received) => received.length >= EVENTS, 120_000);
    console.log(
      `relay backlog: ${EVENTS} events published in ${publishSeconds.toFixed(1)} s in ${sink.requestBytes.length} ` +
        `requests, the largest ${Math.max(...sink.requestBytes)} bytes; the broker's message.max.bytes is ` +
        `${brokerMaxMessageBytes}; one read batch of ${READ_BATCH} events is ${firstBatchBytes} bytes`,
    );
  });
  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bed?.db.drop();
  });

  it('runs against a broker whose message.max.bytes is Kafka’s default, and reads that limit from it', () => {
    assert.equal(brokerMaxMessageBytes, String(KAFKA_DEFAULT_MAX_MESSAGE_BYTES));
    const limits = relay.status.current().limits;
    assert.deepEqual(limits && { max: limits.maxMessageBytes, source: limits.source }, {
      max: KAFKA_DEFAULT_MAX_MESSAGE_BYTES,
      source: 'broker',
    });
  });

  it('has a backlog whose read batches are larger than the broker accepts in one request', () =>
    assert.ok(firstBatchBytes > KAFKA_DEFAULT_MAX_MESSAGE_BYTES, `${firstBatchBytes} bytes`));

  it('moves its checkpoint to the head, with every event on the topic exactly once', () => {
    const ids = consumer.received.map((m) => m.headers.ce_id ?? '');
    assert.equal(ids.length, EVENTS);
    assert.deepEqual([...new Set(ids)].sort(), [...expectedIds].sort());
    assert.ok(consumer.received.every((m) => m.topic === 'kulturskole.funding.v1'));
  });

  it('keeps the order of every stream', () => {
    const byStream = new Map<string, string[]>();
    for (const m of consumer.received) byStream.set(m.key, [...(byStream.get(m.key) ?? []), m.headers.ce_id ?? '']);
    const expectedOrder = new Map<string, string[]>();
    for (let h = 0; h < HOUSEHOLDS; h++) {
      const household = `h${h}`;
      expectedOrder.set(
        householdStream(bed.tenant, household),
        Array.from(
          { length: PER_HOUSEHOLD },
          (_, i) => feesAssessed(bed.tenant, household, i, 6, 'relay-backlog').eventId,
        ),
      );
    }
    assert.deepEqual(byStream, expectedOrder);
  });

  it('sent requests each within the broker’s limit, several per read batch', () => {
    assert.ok(Math.max(...sink.requestBytes) < KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    assert.ok(sink.requestBytes.length > Math.ceil(EVENTS / READ_BATCH), `${sink.requestBytes.length} requests`);
  });

  it('is up, caught up, with nothing parked', () => {
    const status = relay.status.current();
    assert.deepEqual(
      {
        state: status.state,
        caughtUp: status.caughtUp,
        parked: status.parkedEvents,
        published: status.publishedMessages,
      },
      { state: 'connected', caughtUp: true, parked: 0, published: EVENTS },
    );
    assert.equal(relay.status.assess(0).status, 'up');
  });
});
