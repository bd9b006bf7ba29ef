import { SameTurnBatch } from '#libs/database';
import type pg from 'pg';
import type { EventRow } from './event-row.js';

interface StreamRead {
  streamName: string;
  fromRevision: number;
  maxCount: number;
}

/**
 * Forward stream reads asked for in the same turn of the event loop go to the database as one statement
 * (SameTurnBatch): under load commands and process steps read many small streams at once. Each read still sees
 * everything committed before the statement runs, which is after it was asked for, so no read sees less than it would
 * alone. Both statements are named, so each connection parses and plans them once: their text never changes, and their
 * plan (by stream and revision) does not depend on the values.
 */
export class StreamReads {
  private readonly batch: SameTurnBatch<StreamRead, EventRow[]>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly columns: string,
  ) {
    this.batch = new SameTurnBatch((reads) => this.run(reads));
  }

  read(streamName: string, fromRevision: number, maxCount: number): Promise<EventRow[]> {
    return this.batch.ask({ streamName, fromRevision, maxCount });
  }

  private async run(reads: StreamRead[]): Promise<EventRow[][]> {
    const [only] = reads;
    if (reads.length === 1 && only) {
      const { rows } = await this.pool.query<EventRow>({
        name: 'es_read_stream',
        text: `SELECT ${this.columns} FROM es_events WHERE stream_name = $1 AND stream_revision >= $2
          ORDER BY stream_revision ASC LIMIT $3`,
        values: [only.streamName, only.fromRevision, only.maxCount],
      });
      return [rows];
    }
    const { rows } = await this.pool.query<EventRow & { es_read: string }>({
      name: 'es_read_streams',
      text: `SELECT r.es_read, e.* FROM unnest($1::text[], $2::bigint[], $3::bigint[]) WITH ORDINALITY
              AS r(es_stream, es_from, es_max, es_read)
       CROSS JOIN LATERAL (
         SELECT ${this.columns} FROM es_events
          WHERE stream_name = r.es_stream AND stream_revision >= r.es_from
          ORDER BY stream_revision ASC LIMIT r.es_max
       ) e
       ORDER BY r.es_read, e.stream_revision`,
      values: [reads.map((r) => r.streamName), reads.map((r) => r.fromRevision), reads.map((r) => r.maxCount)],
    });
    const answers = reads.map((): EventRow[] => []);
    for (const row of rows) answers[Number(row.es_read) - 1]?.push(row);
    return answers;
  }
}
