import { SameTurnBatch } from '#libs/database';
import type pg from 'pg';
import type { NewEvent } from '../envelope.js';

/** What es_append answers for one stream. */
export interface AppendRow {
  next_revision: string;
  last_position: string;
  duplicate: boolean;
}

interface StreamAppend {
  streamName: string;
  /** The stream's revision expected, or -1 (no stream) or -2 (any). */
  expected: number;
  events: readonly NewEvent[];
}

type Outcome = { row: AppendRow } | { error: unknown };

const columns = (events: readonly NewEvent[]) => [
  events.map((e) => e.eventId),
  events.map((e) => e.type),
  events.map((e) => e.schemaVersion),
  events.map((e) => JSON.stringify(e.data)),
  events.map((e) => JSON.stringify(e.metadata)),
];

/**
 * Appends asked for in the same turn, to different streams, go as one statement and one transaction (es_append_batch,
 * ADR 0027): under load the commands of a process append at once, and each append alone costs a round trip and a
 * commit. Every stream's append keeps its own expected revision: a conflict answers that append alone, as es_append
 * would, and the others are stored. Appends to a stream already in the batch, and every append of a batch that failed
 * as a whole (a duplicate event id, a racing first append), are made alone, so each failure is explained as before.
 */
export class StreamAppends {
  private readonly batch = new SameTurnBatch<StreamAppend, Outcome>((appends) => this.answer(appends));

  constructor(private readonly pool: pg.Pool) {}

  async append(streamName: string, expected: number, events: readonly NewEvent[]): Promise<AppendRow> {
    const outcome = await this.batch.ask({ streamName, expected, events });
    if ('error' in outcome) throw outcome.error;
    return outcome.row;
  }

  private async answer(appends: StreamAppend[]): Promise<Outcome[]> {
    const first = new Map<string, number>();
    appends.forEach((append, index) => first.has(append.streamName) || first.set(append.streamName, index));
    const outcomes: (Outcome | undefined)[] = [];
    if (first.size > 1) {
      // In name order: two batches lock the streams they share in the same order, so neither waits for the other.
      const order = [...first].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, index]) => index);
      const batch = order.map((index) => appends[index] as StreamAppend);
      try {
        const { rows } = await this.pool.query<{
          n: number;
          next_revision: string | null;
          last_position: string | null;
          actual: string | null;
        }>({
          name: 'es_append_batch',
          text: 'SELECT n, next_revision, last_position, actual FROM es_append_batch($1, $2, $3, $4, $5, $6, $7, $8)',
          values: [
            batch.map((a) => a.streamName),
            batch.map((a) => a.expected),
            batch.map((a) => a.events.length),
            ...columns(batch.flatMap((a) => a.events)),
          ],
        });
        for (const row of rows) {
          const index = order[row.n - 1] ?? -1;
          outcomes[index] =
            row.actual !== null
              ? { error: conflict(row.actual) }
              : {
                  row: {
                    next_revision: row.next_revision ?? '',
                    last_position: row.last_position ?? '',
                    duplicate: false,
                  },
                };
        }
      } catch {
        // Nothing of the statement was stored: each append alone below meets (and explains) its own failure.
      }
    }
    return Promise.all(appends.map((append, index) => outcomes[index] ?? this.alone(append)));
  }

  private async alone({ streamName, expected, events }: StreamAppend): Promise<Outcome> {
    try {
      // Named: prepared once per connection, as on every append (see stream-reads.ts).
      const { rows } = await this.pool.query<AppendRow>({
        name: 'es_append',
        text: 'SELECT next_revision, last_position, duplicate FROM es_append($1, $2, $3, $4, $5, $6, $7)',
        values: [streamName, expected, ...columns(events)],
      });
      const row = rows[0];
      return row ? { row } : { error: new Error(`es_append returned nothing for ${streamName}`) };
    } catch (error) {
      return { error };
    }
  }
}

/** The error es_append raises for a revision other than the expected one: its message is the stream's revision. */
const conflict = (actual: string) =>
  Object.assign(new Error(actual === '-1' ? 'no_stream' : actual), { code: 'KS002' });
