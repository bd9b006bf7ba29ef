import { Kafka, logLevel, type Producer } from 'kafkajs';

export const ANCHOR_TOPIC = 'kulturskole.audit.anchors.v1';

/**
 * The anchors on a Kafka topic (one partition, key `anchor`, value the signed line, in seq order), so a copy lands
 * outside this host and its database as soon as a checkpoint is sealed. Its own small producer: the relay's publisher
 * serves the integration contracts. Each anchor is one message (a full checkpoint is about 200 kB, within the
 * broker's default 1 MB).
 */
export class AnchorTopic {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private topicReady = false;

  constructor(
    brokers: readonly string[],
    readonly topic = ANCHOR_TOPIC,
  ) {
    this.kafka = new Kafka({
      clientId: 'kulturskole-anchors',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  async publish(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const producer = await this.connected();
    try {
      for (const line of lines) {
        await producer.send({ topic: this.topic, acks: -1, messages: [{ key: 'anchor', value: line }] });
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (!this.topicReady) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        if (!(await admin.listTopics()).includes(this.topic)) {
          await admin.createTopics({ topics: [{ topic: this.topic, numPartitions: 1 }], waitForLeaders: true });
        }
      } finally {
        await admin.disconnect();
      }
      this.topicReady = true;
    }
    if (!this.producer) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }
}
