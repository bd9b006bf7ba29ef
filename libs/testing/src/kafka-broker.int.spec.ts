import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, Partitioners, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { startKafkaBroker, type KafkaBroker } from './kafka-broker.js';

interface Received {
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
}

const external = process.env.KAFKA_BROKERS;

describe('real Kafka broker (KRaft, single node)', () => {
  let broker: KafkaBroker | undefined;
  let kafka: Kafka;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    if (!external) {
      const started = Date.now();
      broker = await startKafkaBroker();
      console.log(`[kafka-broker] ready at ${broker.brokers} after ${Date.now() - started} ms`);
    }
    const brokers = external ?? broker?.brokers;
    assert.ok(brokers, 'no broker address');
    kafka = new Kafka({ clientId: 'kafka-broker-spec', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    if (broker) {
      const started = Date.now();
      await broker.stop();
      console.log(`[kafka-broker] stopped after ${Date.now() - started} ms`);
    }
  });

  const newTopic = async (): Promise<string> => {
    const topic = `kafka-broker-spec-${randomBytes(4).toString('hex')}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      assert.equal(created, true, `topic ${topic} was not created`);
    } finally {
      await admin.disconnect();
    }
    return topic;
  };

  const produce = async (topic: string, messages: { key: string; value: string; headers?: IHeaders }[]) => {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
  };

  /** Reads with a fresh consumer group from the beginning until `count` messages arrived (or times out). */
  const consume = async (topic: string, count: number): Promise<Received[]> => {
    // short fetch long-poll: disconnect() waits for the fetch in flight, 5 s by default
    const groupId = `${topic}-group-${randomBytes(3).toString('hex')}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    consumers.push(consumer);
    const received: Received[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        received.push({ key: message.key?.toString(), value: message.value?.toString(), headers });
      },
    });
    const deadline = Date.now() + 60_000;
    while (received.length < count && Date.now() < deadline) await delay(100);
    await delay(500); // a short grace period so an unexpected extra message would show up in the assertion
    await consumer.disconnect();
    return received;
  };

  it('produces 3 keyed messages with headers idempotently and a consumer group reads them in order', async () => {
    const topic = await newTopic();
    await produce(
      topic,
      [1, 2, 3].map((n) => ({
        key: `lesson-${n}`,
        value: `booked ${n}`,
        headers: { 'event-type': 'LessonBooked', seq: `${n}` },
      })),
    );

    const received = await consume(topic, 3);

    assert.deepEqual(
      received,
      [1, 2, 3].map((n) => ({
        key: `lesson-${n}`,
        value: `booked ${n}`,
        headers: { 'event-type': 'LessonBooked', seq: `${n}` },
      })),
    );
  });

  // pausing is only possible for a broker this test started; an external KAFKA_BROKERS is not ours to stop
  if (!external) {
    it('keeps everything across a broker pause/resume and serves messages produced after resume', async () => {
      assert.ok(broker, 'broker was not started');
      const topic = await newTopic();
      await produce(topic, [{ key: 'k1', value: 'before pause' }]);

      const paused = Date.now();
      await broker.pause();
      const probe = new Kafka({
        brokers: [broker.brokers],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1_000,
        retry: { retries: 0 },
      }).admin();
      await assert.rejects(probe.connect(), 'the broker still answered while paused');
      await probe.disconnect();
      await broker.resume();
      console.log(`[kafka-broker] pause + resume took ${Date.now() - paused} ms`);

      await produce(topic, [{ key: 'k2', value: 'after resume' }]);
      const received = await consume(topic, 2);

      assert.deepEqual(
        received.map(({ key, value }) => ({ key, value })),
        [
          { key: 'k1', value: 'before pause' },
          { key: 'k2', value: 'after resume' },
        ],
      );
    });
  }
});
