/**
 * npm run bench:relay — the relay against a bare kafkajs produce loop on the same broker, in the same run:
 * 100,000 domain events in the store, published as integration events from the store to broker acknowledgement;
 * then the same messages (translated beforehand, outside the clock) sent by a plain loop of sendBatch calls of the
 * same size with the same producer settings. Prints events/s for both and `ratio: <relay/bare>`.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { createPool, migrate } from '#libs/database';
import { PostgresEventStore, type NewEvent } from '#libs/event-store';
import { CheckpointStore, platformMigrations } from '#libs/platform';
import { startKafkaBroker } from '#libs/testing';
import { outboundValidator } from '../libs/integration/src/contracts/validation.js';
import { cloudEventHeaders } from '../libs/integration/src/relay/cloud-event-headers.js';
import { ensureTopics } from '../libs/integration/src/relay/fixtures/collector.js';
import { KafkaPublisher } from '../libs/integration/src/relay/kafka-publisher.js';
import { Relay } from '../libs/integration/src/relay/relay.js';
import { sampleAppends } from '../libs/integration/src/translation/domain-event-samples.js';
import { TRANSLATED_EVENT_TYPES, translate } from '../libs/integration/src/translation/translate.js';
import type { IntegrationMessage } from '../libs/integration/src/translation/integration-message.js';
import { benchDatabase } from './bench-database.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const APPEND_CONCURRENCY = 16;

const fillStore = async (store: PostgresEventStore, tenant: string): Promise<void> => {
  const appends: { streamName: string; events: NewEvent[] }[] = [];
  let count = 0;
  for (let n = 0; count < EVENTS; n++) {
    for (const append of sampleAppends(tenant, n, 'bench')) {
      const events = append.events.slice(0, EVENTS - count);
      if (events.length === 0) break;
      appends.push({ streamName: append.streamName, events });
      count += events.length;
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: APPEND_CONCURRENCY }, async () => {
      for (let i = next++; i < appends.length; i = next++) {
        const append = appends[i];
        if (append) await store.appendToStream(append.streamName, append.events, { expectedRevision: 'no_stream' });
      }
    }),
  );
};

const relayRun = async (store: PostgresEventStore, checkpoints: CheckpointStore, brokers: string[]) => {
  const relay = new Relay(store, checkpoints, new KafkaPublisher({ brokers }), outboundValidator(), {
    name: `relay-bench-${randomBytes(3).toString('hex')}`,
    batchSize: BATCH,
    idlePollMs: 5,
  });
  const head = (await store.headPosition()) ?? 0n;
  const started = process.hrtime.bigint();
  await relay.start();
  for (;;) {
    const status = relay.status.current();
    if (status.checkpoint !== null && BigInt(status.checkpoint) >= head && status.caughtUp) break;
    if (status.state === 'degraded') throw new Error(`relay degraded: ${status.lastError}`);
    await sleep(2);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const messages = relay.status.current().publishedMessages;
  await relay.stop();
  return { seconds, messages };
};

const bareRun = async (store: PostgresEventStore, brokers: string[]) => {
  // The same messages the relay sends, read and translated before the clock starts.
  const batches: IntegrationMessage[][] = [];
  let from: bigint | undefined;
  for (;;) {
    const page = await store.readAll({
      fromPosition: from,
      maxCount: BATCH,
      filter: { eventTypes: TRANSLATED_EVENT_TYPES },
    });
    if (page.events.length) batches.push(page.events.flatMap(translate));
    from = page.lastPosition;
    if (page.isEnd) break;
  }
  const prepared = batches.map((batch) => {
    const byTopic = new Map<string, { key: string; value: string; headers: ReturnType<typeof cloudEventHeaders> }[]>();
    for (const m of batch) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({ key: m.key, value: JSON.stringify(m.body), headers: cloudEventHeaders(m) });
      byTopic.set(m.topic, list);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  });
  const kafka = new Kafka({ clientId: 'bare-bench', brokers, logLevel: logLevel.ERROR });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const started = process.hrtime.bigint();
  for (const topicMessages of prepared) await producer.sendBatch({ acks: -1, topicMessages });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return { seconds, messages: batches.reduce((sum, b) => sum + b.length, 0) };
};

const main = async () => {
  const database = await benchDatabase('relay');
  const broker = process.env.KAFKA_BROKERS ? undefined : await startKafkaBroker();
  const brokers = (process.env.KAFKA_BROKERS ?? broker?.brokers ?? '').split(',');
  const pool = createPool(database.url, { max: APPEND_CONCURRENCY + 4 });
  try {
    await migrate(pool, platformMigrations);
    const store = new PostgresEventStore(pool);
    await ensureTopics(new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }));
    await fillStore(store, `bench${randomBytes(3).toString('hex')}`);
    console.log(`bench:relay — ${EVENTS} events in the store, batches of ${BATCH}, broker ${brokers.join(',')}`);
    // Bare first, so the relay gets no warmer broker for free.
    const bare = await bareRun(store, brokers);
    const relay = await relayRun(store, new CheckpointStore(pool), brokers);
    const line = (label: string, run: { seconds: number; messages: number }) =>
      console.log(
        `${label.padEnd(44)} ${(EVENTS / run.seconds).toFixed(0).padStart(8)} events/s   ` +
          `${run.messages} messages in ${run.seconds.toFixed(2)} s`,
      );
    line('relay: store → Kafka ack → checkpoint', relay);
    line('bare kafkajs sendBatch loop, same messages', bare);
    console.log(`ratio: ${(bare.seconds / relay.seconds).toFixed(2)}`);
  } finally {
    await pool.end();
    await database.stop();
    await broker?.stop();
  }
};

await main();
