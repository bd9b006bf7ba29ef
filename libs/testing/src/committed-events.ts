import type pg from 'pg';
import { recordedEventOfRow, type EventRow, type RecordedEvent } from '#libs/event-store';

/**
 * Every committed event of the given types, straight from es_events. Tests use this rather than `readAll`, whose
 * safe horizon stops below any transaction of the database still running (an app's process managers and projections
 * write all the time): `readAll` may not yet show an event this test has just seen committed.
 */
export const committedEvents = async (pool: pg.Pool, eventTypes: readonly string[]): Promise<RecordedEvent[]> => {
  const { rows } = await pool.query<EventRow>(
    `SELECT position::text, stream_name, stream_revision::text, event_id, event_type, schema_version, data, metadata,
            recorded_at FROM es_events WHERE event_type = ANY ($1) ORDER BY es_events.position`,
    [eventTypes],
  );
  return rows.map(recordedEventOfRow);
};
