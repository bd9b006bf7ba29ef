import type pg from 'pg';
import type { EventRow } from './event-row.js';

interface PendingRead {
  streamName: string;
  fromRevision: number;
  maxCount: number;
  resolve(rows: EventRow[]): void;
  reject(error: unknown): void;
}

/** More reads than this wait for the next statement: one statement's answer stays small. */
const MOST_PER_STATEMENT = 64;

/**
 * Forward stream reads asked for in the same turn of the event loop go to the database as one statement (as a
 * DataLoader does): under load commands and process steps read many small streams at once, and a round trip costs
 * more than the rows. Each read still sees everything committed before the statement runs, which is after it was
 * asked for, so no read sees less than it would alone. Both statements are named, so each connection parses and plans
 * them once: their text never changes, and their plan (by stream and revision) does not depend on the values.
 */
export class StreamReads {
  private pending: PendingRead[] = [];
  private scheduled = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly columns: string,
  ) {}

  read(streamName: string, fromRevision: number, maxCount: number): Promise<EventRow[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ streamName, fromRevision, maxCount, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) void this.run(this.pending.splice(0, MOST_PER_STATEMENT));
  }

  private async run(reads: PendingRead[]): Promise<void> {
    try {
      const [only] = reads;
      if (reads.length === 1 && only) {
        const { rows } = await this.pool.query<EventRow>({
          name: 'es_read_stream',
          text: `SELECT ${this.columns} FROM es_events WHERE stream_name = $1 AND stream_revision >= $2
            ORDER BY stream_revision ASC LIMIT $3`,
          values: [only.streamName, only.fromRevision, only.maxCount],
        });
        only.resolve(rows);
        return;
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
      reads.forEach((read, index) => read.resolve(answers[index] ?? []));
    } catch (error) {
      for (const read of reads) read.reject(error);
    }
  }
}
