import { Gauge, type Registry } from 'prom-client';
import { Kafka, logLevel } from 'kafkajs';

export const CONSUMER_LAG_METRIC = 'kulturskole_inbound_consumer_lag_messages';

export interface ConsumerLagOptions {
  brokers: readonly string[];
  groupId: string;
  topic: string;
}

/**
 * Messages of an inbound topic the consumer group has not committed yet, per partition, read from the broker when
 * /metrics is scraped. A broker that does not answer leaves the last values (the scrape never fails on it; readiness
 * reports the broker); kafkajs's short timeouts and no retries keep a scrape from hanging on it.
 */
export const registerConsumerLag = (registry: Registry, { brokers, groupId, topic }: ConsumerLagOptions): void => {
  if (registry.getSingleMetric(CONSUMER_LAG_METRIC)) return;
  const kafka = new Kafka({
    clientId: 'kulturskole-consumer-lag',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  // Scrapes that overlap share one read, so a burst of them opens one admin connection.
  let reading: Promise<Map<number, number> | undefined> | undefined;
  const read = async (): Promise<Map<number, number> | undefined> => {
    const admin = kafka.admin();
    try {
      await admin.connect();
      // One after the other: kafkajs's admin may lose its broker pool to two metadata refreshes at once.
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const commits = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]));
      return new Map(
        ends.map(({ partition, high, low }) => {
          // Never committed (-1) or below what the broker still keeps: the consumer reads from the earliest kept.
          const from = Math.max(commits.get(partition) ?? -1, Number(low));
          return [partition, Math.max(0, Number(high) - from)];
        }),
      );
    } catch {
      return undefined;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  new Gauge({
    name: CONSUMER_LAG_METRIC,
    help: "High watermark of the inbound topic's partition minus the offset the consumer group last committed",
    labelNames: ['topic', 'partition'],
    registers: [registry],
    async collect() {
      reading ??= read().finally(() => (reading = undefined));
      const lags = await reading;
      for (const [partition, lag] of lags ?? []) this.set({ topic, partition: String(partition) }, lag);
    },
  });
};
