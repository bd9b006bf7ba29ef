import type { IHeaders } from 'kafkajs';
import { contractFor } from '../contracts/catalogue.js';
import type { IntegrationMessage } from '../translation/integration-message.js';

/** CloudEvents 1.0 Kafka protocol binding, binary mode: the envelope in `ce_` headers, the body as JSON value. */
export const cloudEventHeaders = (message: IntegrationMessage): IHeaders => ({
  ce_specversion: '1.0',
  ce_id: message.id,
  ce_type: message.type,
  ce_source: message.source,
  ce_time: message.time,
  ce_dataschema: (contractFor(message.type).schema as { $id?: string }).$id ?? '',
  ce_tenant: message.tenant,
  'content-type': 'application/json',
  correlation_id: message.correlationId,
  schema_version: String(message.schemaVersion),
  // CloudEvents distributed-tracing extension, binary mode: the consumer continues the event's trace from it.
  ...(message.traceparent ? { ce_traceparent: message.traceparent } : {}),
  ...(message.tracestate ? { ce_tracestate: message.tracestate } : {}),
});

/** Kafka header values arrive as Buffers (or arrays of them); consumers read them as strings. */
export const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};
