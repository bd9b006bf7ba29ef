/**
 * npm run bench:latency — freshness: how long after a command's 2xx its effects can be seen, through the whole host
 * with its projections and the relay to a real Kafka broker. Application submissions at a steady 50/s and then at 80%
 * of the saturation rate measured first in the same run, each for BENCH_SECONDS (default 60); for each submission:
 *   - read model: from the 201 until its row is in the waitlist read model (`waitlist_entries`, polled every 5 ms);
 *   - Kafka: from the 201 until its `waitlist-joined` message is consumed from the topic.
 * Prints p50/p99 of both against the goals (read model p99 ≤ 200 ms, Kafka p99 ≤ 500 ms). KAFKA_BROKERS uses a
 * running broker instead of starting one; BENCH_SATURATION_SECONDS (default 20) sets the saturation run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { startKafkaBroker } from '#libs/testing';
import { ensureTopics } from '../libs/integration/src/relay/fixtures/collector.js';
import {
  applicationBody,
  type Answer,
  closedLoop,
  figure,
  openOfferings,
  post,
  startBenchHost,
  steadyRate,
} from './command-load.js';
import { percentile } from './bench-database.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SATURATION_SECONDS = Number(process.env.BENCH_SATURATION_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const OFFERINGS = Number(process.env.BENCH_OFFERINGS ?? 20);
const STEADY_RATE = Number(process.env.BENCH_RATE ?? 50);
const TOPIC = 'kulturskole.waitlist.v1';
const GOALS = { readModelP99: 200, kafkaP99: 500 };

const main = async () => {
  const broker = process.env.KAFKA_BROKERS ? undefined : await startKafkaBroker();
  const brokers = process.env.KAFKA_BROKERS ?? broker?.brokers ?? '';
  const kafka = new Kafka({ clientId: 'bench-latency', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka);
  const host = await startBenchHost('latency', { KAFKA_BROKERS: brokers });
  const readPool = new pg.Pool({ connectionString: host.databaseUrl, max: 2 });
  const consumer = kafka.consumer({ groupId: `bench-latency-${Date.now()}`, maxWaitTimeInMs: 100 });
  /** 2xx time of each submission not yet seen, per place it must show up. */
  const awaitingRow = new Map<string, number>();
  const awaitingKafka = new Map<string, number>();
  const early = new Map<string, number>(); // a message consumed before its 2xx was handled here
  let rowLatencies: number[] = [];
  let kafkaLatencies: number[] = [];
  let stopped = false;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const seenAt = performance.now();
        const body = JSON.parse(message.value?.toString() ?? 'null') as { applicationId?: string } | null;
        const id = body?.applicationId;
        if (!id) return;
        const sentAt = awaitingKafka.get(id);
        if (sentAt === undefined) return void early.set(id, seenAt);
        awaitingKafka.delete(id);
        kafkaLatencies.push(seenAt - sentAt);
      },
    });
    const polling = (async () => {
      while (!stopped) {
        const ids = [...awaitingRow.keys()];
        if (ids.length > 0) {
          const { rows } = await readPool.query<{ application_id: string }>(
            'SELECT application_id FROM waitlist_entries WHERE application_id = ANY ($1)',
            [ids],
          );
          const seenAt = performance.now();
          for (const { application_id: id } of rows) {
            const sentAt = awaitingRow.get(id);
            if (sentAt === undefined) continue;
            awaitingRow.delete(id);
            rowLatencies.push(seenAt - sentAt);
          }
        }
        await sleep(5);
      }
    })();

    const offerings = await openOfferings(host, OFFERINGS);
    const caseworker = await host.token('caseworker');
    let refused = 0;
    /** How many answers of each status other than 201 (0: none at all). */
    const statuses = new Map<number, number>();
    const submit = async (i: number) => {
      const offeringId = offerings[i % offerings.length] ?? '';
      const answer = await post(
        host.baseUrl,
        `/waitlist/offerings/${offeringId}/applications`,
        caseworker,
        applicationBody(),
      ).catch((error: unknown): Answer => {
        // No answer at all (an open loop past what the host keeps up with): counted and printed, not a crash.
        return { status: 0, body: { error: String(error) } };
      });
      const at = performance.now();
      const id = answer.body.applicationId;
      if (answer.status !== 201 || !id) {
        refused++;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        return answer;
      }
      awaitingRow.set(id, at);
      const consumed = early.get(id);
      if (consumed !== undefined) {
        early.delete(id);
        kafkaLatencies.push(consumed - at);
      } else awaitingKafka.set(id, at);
      return answer;
    };
    /** Waits until every submission of the run has been seen in both places (or 60 s have passed). */
    const drained = async () => {
      for (let waited = 0; (awaitingRow.size > 0 || awaitingKafka.size > 0) && waited < 60_000; waited += 50)
        await sleep(50);
      const lost = { readModel: awaitingRow.size, kafka: awaitingKafka.size };
      awaitingRow.clear();
      awaitingKafka.clear();
      return lost;
    };

    console.log(
      `bench:latency — ${SECONDS} s per rate, ${OFFERINGS} offerings, broker ${brokers}, the whole host in this process`,
    );
    await steadyRate(20, 5, async (i) => void (await submit(i))); // warm-up, and the consumer has joined its group by now
    await drained();
    const saturation = await closedLoop(SATURATION_SECONDS, CONCURRENCY, submit);
    await drained();
    console.log(
      `saturation: ${saturation.perSecond.toFixed(1)} submissions/s (${CONCURRENCY} clients, ${SATURATION_SECONDS} s)`,
    );

    const results: { rate: number; readModel: number[]; kafka: number[] }[] = [];
    for (const rate of [STEADY_RATE, Math.max(1, Math.round(saturation.perSecond * 0.8))]) {
      rowLatencies = [];
      kafkaLatencies = [];
      refused = 0;
      statuses.clear();
      const run = await steadyRate(rate, SECONDS, async (i) => void (await submit(i)));
      const lost = await drained();
      console.log(
        `\n${rate} submissions/s for ${SECONDS} s (${run.sent} sent, finished in ${run.seconds.toFixed(1)} s` +
          `${refused ? `, ${refused} refused: ${JSON.stringify(Object.fromEntries(statuses))}` : ''}${lost.readModel || lost.kafka ? `, unseen after 60 s: ${JSON.stringify(lost)}` : ''})`,
      );
      console.log(figure('2xx → waitlist read-model row', rowLatencies));
      console.log(figure('2xx → Kafka message consumed', kafkaLatencies));
      results.push({ rate, readModel: rowLatencies, kafka: kafkaLatencies });
    }
    const p99 = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        99,
      );
    console.log('');
    for (const { rate, readModel, kafka: acks } of results) {
      console.log(
        `goal at ${rate}/s: read model p99 ${p99(readModel).toFixed(0)} ms ≤ ${GOALS.readModelP99} ms ` +
          `${p99(readModel) <= GOALS.readModelP99 ? 'met' : 'NOT met'}; Kafka p99 ${p99(acks).toFixed(0)} ms ≤ ` +
          `${GOALS.kafkaP99} ms ${p99(acks) <= GOALS.kafkaP99 ? 'met' : 'NOT met'}`,
      );
    }
    stopped = true;
    await polling;
  } finally {
    stopped = true;
    await consumer.disconnect().catch(() => undefined);
    await readPool.end();
    await host.stop();
    await broker?.stop();
  }
};

await main();
