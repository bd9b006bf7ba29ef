import type { IntegrationBodies, IntegrationType, Topic } from '../contracts/catalogue.js';

/** A public integration event with its CloudEvents envelope, ready for Kafka (binary mode: envelope in headers). */
export interface IntegrationMessage<T extends IntegrationType = IntegrationType> {
  /** ce_id: the domain event's id, so a resent message carries the same id and consumers deduplicate. */
  id: string;
  type: T;
  topic: Topic;
  /** Kafka key: the stream name, so the order per aggregate holds within a partition. */
  key: string;
  /** ce_source: /kulturskole/<tenant>/<context>. */
  source: string;
  /** ce_time: when the fact happened in the domain. */
  time: string;
  tenant: string;
  correlationId: string;
  schemaVersion: number;
  /** CloudEvents distributed-tracing extension (ce_traceparent): the relay's publish span in the event's trace. */
  traceparent?: string;
  tracestate?: string;
  body: IntegrationBodies[T];
}
