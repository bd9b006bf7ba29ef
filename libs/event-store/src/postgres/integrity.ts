import type { Pool } from '#libs/database';

export interface ChainBreak {
  streamName: string;
  streamRevision: number;
  position: bigint;
  eventId: string;
  problem: 'content changed' | 'event missing before this one' | 'stream head differs';
}

export interface IntegrityReport {
  eventsChecked: number;
  streamsChecked: number;
  /** The first break in `$all` order, or undefined when every chain holds. */
  firstBreak?: ChainBreak;
}

/**
 * Walks the hash chains (one per stream, see migration event-store/0002) in the database: each event's hash must
 * equal the hash of its content chained to its predecessor's stored hash, revisions must be gapless, and each
 * stream's recorded head hash must be its last event's. Reports the first break by position.
 */
export const verifyIntegrity = async (pool: Pool, options: { streamName?: string } = {}): Promise<IntegrityReport> => {
  const stream = options.streamName ?? null;
  const { rows } = await pool.query<{
    stream_name: string;
    stream_revision: string;
    position: string;
    event_id: string;
    problem: ChainBreak['problem'];
  }>(
    `WITH chained AS (
       SELECT e.*, lag(e.hash) OVER w AS previous_hash, lag(e.stream_revision) OVER w AS previous_revision
         FROM es_events e WHERE ($1::text IS NULL OR e.stream_name = $1)
       WINDOW w AS (PARTITION BY e.stream_name ORDER BY e.stream_revision)
     ), problems AS (
       SELECT stream_name, stream_revision, position, event_id,
              CASE WHEN stream_revision <> coalesce(previous_revision + 1, 0) THEN 'event missing before this one'
                   ELSE 'content changed' END AS problem
         FROM chained
        WHERE stream_revision <> coalesce(previous_revision + 1, 0)
           OR hash <> es_event_hash(previous_hash, stream_name, stream_revision, event_id, event_type,
                                    schema_version, data, metadata)
       UNION ALL
       SELECT s.stream_name, e.stream_revision, e.position, e.event_id, 'stream head differs'
         FROM es_streams s JOIN es_events e ON e.stream_name = s.stream_name AND e.stream_revision = s.revision
        WHERE ($1::text IS NULL OR s.stream_name = $1) AND s.last_hash IS DISTINCT FROM e.hash
     )
     SELECT stream_name, stream_revision::text, position::text, event_id::text, problem
       FROM problems ORDER BY problems.position LIMIT 1`,
    [stream],
  );
  const { rows: counts } = await pool.query<{ events: string; streams: string }>(
    `SELECT count(*)::text AS events, count(DISTINCT stream_name)::text AS streams FROM es_events
      WHERE ($1::text IS NULL OR stream_name = $1)`,
    [stream],
  );
  const found = rows[0];
  return {
    eventsChecked: Number(counts[0]?.events ?? 0),
    streamsChecked: Number(counts[0]?.streams ?? 0),
    ...(found
      ? {
          firstBreak: {
            streamName: found.stream_name,
            streamRevision: Number(found.stream_revision),
            position: BigInt(found.position),
            eventId: found.event_id,
            problem: found.problem,
          },
        }
      : {}),
  };
};

export * from './seal.js';
