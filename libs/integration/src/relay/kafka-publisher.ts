import { Logger } from '@nestjs/common';
import { Kafka, Partitioners, logLevel, type ConfigResourceTypes, type LogEntry, type Producer } from 'kafkajs';
import { MESSAGE_CONTRACTS } from '../contracts/catalogue.js';
import type { IntegrationMessage } from '../translation/integration-message.js';
import { cloudEventHeaders } from './cloud-event-headers.js';
import { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_REQUEST_BYTES, sinkLimits, type SinkLimits } from './message-size.js';

/** Where the relay hands messages; resolves only when every message is acknowledged. */
export interface MessageSink {
  publish(messages: readonly IntegrationMessage[]): Promise<void>;
  close(): Promise<void>;
  /**
   * The most one request may carry, read from the broker where the sink can (cached; `fresh` reads again). A sink
   * without it is sent requests of at most DEFAULT_SINK_LIMITS.
   */
  limits?(fresh?: boolean): Promise<SinkLimits>;
}

export interface KafkaPublisherOptions {
  brokers: readonly string[];
  clientId?: string;
  /** The producer's cap on a request, whatever the broker allows; default 1 MiB (the Java producer's default). */
  maxRequestBytes?: number;
  /** How long the limits read from the broker are trusted before they are read again; default 60 s. */
  limitsTtlMs?: number;
}

const TOPICS = [...new Set(MESSAGE_CONTRACTS.map((c) => c.topic))];

// kafkajs is CommonJS and Node's ESM loader does not see its ConfigResourceTypes export: its values, as kafkajs has them.
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
const BROKER_RESOURCE = 4 as ConfigResourceTypes;

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
  private known: { limits: SinkLimits; at: number } | undefined;
  private readonly maxRequestBytes: number;
  private readonly limitsTtlMs: number;

  constructor(options: KafkaPublisherOptions) {
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.limitsTtlMs = options.limitsTtlMs ?? 60_000;
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

  /**
   * The smallest of the broker's `message.max.bytes` and the relay's topics' `max.message.bytes` (a topic may
   * override the broker), capped by the producer's own limit. When they cannot be read, DEFAULT_MAX_MESSAGE_BYTES,
   * with the reason in `source`; the next call tries again.
   */
  async limits(fresh = false): Promise<SinkLimits> {
    if (!fresh && this.known && Date.now() - this.known.at < this.limitsTtlMs) return this.known.limits;
    let limits: SinkLimits;
    try {
      limits = sinkLimits(await this.readMaxMessageBytes(), 'broker', this.maxRequestBytes);
    } catch (error) {
      // Kept for the same time as a value read: a broker that denies DescribeConfigs is not asked on every send.
      const reason = error instanceof Error ? error.message : String(error);
      limits = sinkLimits(
        DEFAULT_MAX_MESSAGE_BYTES,
        `default (the broker's limits could not be read: ${reason})`,
        this.maxRequestBytes,
      );
    }
    this.known = { limits, at: Date.now() };
    return limits;
  }

  /**
   * The smallest limit the broker states. A topic's `max.message.bytes` is its effective limit (the broker's
   * `message.max.bytes` unless overridden), so either kind alone is enough when the other may not be described.
   */
  private async readMaxMessageBytes(): Promise<number> {
    if (!this.topicsReady) {
      await this.ensureTopics();
      this.topicsReady = true;
    }
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          ...brokers.map((b) => ({
            type: BROKER_RESOURCE,
            name: String(b.nodeId),
            configNames: ['message.max.bytes'],
          })),
          ...TOPICS.map((topic) => ({
            type: TOPIC_RESOURCE,
            name: topic,
            configNames: ['max.message.bytes'],
          })),
        ],
      });
      const values: number[] = [];
      const errors: string[] = [];
      for (const resource of resources) {
        if (resource.errorCode !== 0) {
          errors.push(`${resource.resourceName}: ${resource.errorMessage || `error ${resource.errorCode}`}`);
          continue;
        }
        for (const entry of resource.configEntries) {
          const value = Number(entry.configValue);
          if (Number.isSafeInteger(value) && value > 0) values.push(value);
        }
      }
      if (values.length === 0) {
        throw new Error(errors.join('; ') || 'no message.max.bytes or max.message.bytes in the answer');
      }
      return Math.min(...values);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
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
      const missing = TOPICS.filter((t) => !existing.has(t));
      if (missing.length) {
        await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  // A failed send may mean the broker changed (restarted with other limits): read them again before the next one.
  private async drop(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.known = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}
