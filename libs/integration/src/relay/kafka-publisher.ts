import { Logger } from '@nestjs/common';
import { Kafka, Partitioners, logLevel, type LogEntry, type Producer } from 'kafkajs';
import { MESSAGE_CONTRACTS } from '../contracts/catalogue.js';
import type { IntegrationMessage } from '../translation/integration-message.js';
import { cloudEventHeaders } from './cloud-event-headers.js';

/** Where the relay hands messages; resolves only when every message is acknowledged. */
export interface MessageSink {
  publish(messages: readonly IntegrationMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaPublisherOptions {
  brokers: readonly string[];
  clientId?: string;
}

const LIMITED_RETRIES_WARNING = 'Limiting retries for the idempotent producer';

// kafkajs logs through Nest's logger; the retry-limit warning is expected (the relay retries around kafkajs).
const nestLogCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    if (log.message.startsWith(LIMITED_RETRIES_WARNING)) return;
    const line = `${log.message}${log.broker ? ` (${String(log.broker)})` : ''}`;
    if (level <= logLevel.ERROR) logger.error(line);
    else logger.warn(line);
  };
};

/**
 * Idempotent kafkajs producer (acks from all in-sync replicas, one request in flight so retries keep order).
 * kafkajs retries a few times within a send; when that fails the producer is dropped and the relay's own backoff
 * takes over, so a broker outage shows as a failed publish instead of a send that hangs for ever.
 */
export class KafkaPublisher implements MessageSink {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private topicsReady = false;

  constructor(options: KafkaPublisherOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'kulturskole-relay',
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 3_000 },
    });
  }

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    const producer = await this.connected();
    const byTopic = new Map<string, IntegrationMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: JSON.stringify(m.body), headers: cloudEventHeaders(m) })),
        })),
      });
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private async connected(): Promise<Producer> {
    if (!this.topicsReady) {
      await this.ensureTopics();
      this.topicsReady = true;
    }
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 3_000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  // Topics exist before the first send, so the first messages do not wait on auto-creation (or fail without it).
  private async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [...new Set(MESSAGE_CONTRACTS.map((c) => c.topic))].filter((t) => !existing.has(t));
      if (missing.length) {
        await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async drop(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}
