import type { IHeaders } from 'kafkajs';
import type { IntegrationMessage } from '../translation/integration-message.js';
import { cloudEventHeaders } from './cloud-event-headers.js';

/**
 * Byte sizes of what the relay sends, so that no produce request exceeds what the broker accepts.
 *
 * Kafka refuses a record batch larger than the topic's `max.message.bytes` (the broker's `message.max.bytes` unless
 * the topic overrides it; 1 MiB + 12 bytes as Kafka ships it) with MESSAGE_TOO_LARGE. The relay keeps the whole
 * produce request under the smallest of those limits, which is stricter than Kafka needs (the limit is per
 * partition's batch), and so is safe whatever partition the producer picks.
 */

/** What the relay assumes when the broker's limits cannot be read: below Kafka's default of 1,048,588 bytes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 900_000;

/** The producer's own cap on a request, like the Java producer's `max.request.size` (1 MiB by default). */
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;

/**
 * Per record in a v2 record batch: length, attributes, timestamp and offset deltas, key and value lengths and the
 * header count, each a varint of at most 5 or 10 bytes. Rounded up.
 */
const RECORD_OVERHEAD = 48;
/** Per header: the two varint lengths. */
const HEADER_OVERHEAD = 10;
/** A batch's own header (61 bytes) and log overhead (12), with room for the topic and partition entries. */
export const BATCH_OVERHEAD = 256;
/** Kept free in every request for the request header, the topics' names and the per-partition batch headers. */
export const REQUEST_MARGIN = 8_192;

const headerBytes = (headers: IHeaders): number => {
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (one === undefined) continue;
      bytes += HEADER_OVERHEAD + Buffer.byteLength(name) + (Buffer.isBuffer(one) ? one.length : Buffer.byteLength(one));
    }
  }
  return bytes;
};

/** The encoded size of one message as a Kafka record (key, JSON value, CloudEvents headers and overhead). */
export const kafkaRecordBytes = (message: IntegrationMessage): number =>
  RECORD_OVERHEAD +
  Buffer.byteLength(message.key) +
  Buffer.byteLength(JSON.stringify(message.body)) +
  headerBytes(cloudEventHeaders(message));

/** Limits a sink enforces: no request larger than `maxRequestBytes`, no single record batch larger than `maxMessageBytes`. */
export interface SinkLimits {
  /** The broker's (or the smallest topic's) limit on a record batch, in bytes. */
  maxMessageBytes: number;
  /** What one request may carry: the smaller of the producer's cap and the broker's limit, less a margin. */
  maxRequestBytes: number;
  /** Where `maxMessageBytes` comes from: `broker` when read from it, else why the default is used. */
  source: string;
}

export const sinkLimits = (
  maxMessageBytes: number,
  source: string,
  producerMaxRequestBytes = DEFAULT_MAX_REQUEST_BYTES,
): SinkLimits => ({
  maxMessageBytes,
  maxRequestBytes: Math.max(1, Math.min(producerMaxRequestBytes, maxMessageBytes) - REQUEST_MARGIN),
  source,
});

export const DEFAULT_SINK_LIMITS: SinkLimits = sinkLimits(DEFAULT_MAX_MESSAGE_BYTES, 'default');

/** The most one event's messages may take so that a request carrying only them is accepted. */
export const largestSendable = (limits: SinkLimits): number => limits.maxMessageBytes - BATCH_OVERHEAD;

const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const TOO_LARGE_TEXT = /larger than the max message size|message batch larger than|too large/i;

/** True when the broker refused a request for its size (kafkajs wraps the protocol error; the cause chain is walked). */
export const refusedForSize = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    const { type, message, cause, originalError } = e as {
      type?: string;
      message?: string;
      cause?: unknown;
      originalError?: unknown;
    };
    if (type && TOO_LARGE_TYPES.has(type)) return true;
    if (typeof message === 'string' && TOO_LARGE_TEXT.test(message)) return true;
    e = cause ?? originalError;
  }
  return false;
};
