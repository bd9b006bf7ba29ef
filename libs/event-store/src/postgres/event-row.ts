import type { NewEvent, RecordedEvent } from '../envelope.js';

/** One row of `es_events` as pg returns it (bigints as text). */
export interface EventRow {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: NewEvent['metadata'];
  recorded_at: Date;
}

/** The envelope of a stored row, before any upcasting. */
export const recordedEventOfRow = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.event_type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  streamName: row.stream_name,
  streamRevision: Number(row.stream_revision),
  position: BigInt(row.position),
  recordedAt: row.recorded_at,
});
