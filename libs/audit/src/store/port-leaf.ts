import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit-store.js';

const LEAF_VERSION = 'kulturskole-event-leaf-port-v1';

/** JSON with object keys sorted at every depth: the same text however the store ordered or spaced the keys. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/**
 * The leaf of an event read through the EventStore port (EventStoreDB): SHA-256 over its position, stream, revision,
 * id, type, schema version, recorded time (to the millisecond, all the port gives) and its data and metadata as
 * canonical JSON, each field length-prefixed. There is no transaction id: EventStoreDB's commit position is the
 * event's own. The PostgreSQL leaf (libs/event-store/src/postgres/seal.ts) covers its stored columns instead, so
 * anchors sealed on one store verify only against that store.
 */
export const portEventLeaf = (event: AuditEvent): Buffer => {
  const hash = createHash('sha256');
  for (const field of [
    LEAF_VERSION,
    String(event.position),
    event.streamName,
    String(event.streamRevision),
    event.eventId.toLowerCase(),
    event.type,
    String(event.schemaVersion),
    event.recordedAt.toISOString(),
    canonicalJson(event.data),
    canonicalJson(event.metadata),
  ]) {
    const bytes = Buffer.from(field, 'utf8');
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest();
};
