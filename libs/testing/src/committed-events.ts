import type pg from 'pg';
import type { RecordedEvent } from '#libs/event-store';

/**
 * Every committed event of the given types, straight from es_events. Tests use this rather than `readAll`, whose
 * safe horizon stops below any transaction of the database still running (an app's process managers and projections
 * write all the time): `readAll` may not yet show an event this test has just seen committed.
 */
export const committedEvents = async (pool: pg.Pool, eventTypes: readonly string[]): Promise<RecordedEvent[]> => {
  const { rows } = await pool.query<{
    position: string;
    stream_name: string;
    stream_revision: string;
    event_id: string;
    event_type: string;
    schema_version: number;
    data: unknown;
    metadata: RecordedEvent['metadata'];
    recorded_at: Date;
  }>(
    `SELECT position::text, stream_name, stream_revision::text, event_id, event_type, schema_version, data, metadata,
            recorded_at FROM es_events WHERE event_type = ANY ($1) ORDER BY es_events.position`,
    [eventTypes],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamName: row.stream_name,
    streamRevision: Number(row.stream_revision),
    position: BigInt(row.position),
    recordedAt: row.recorded_at,
  }));
};
