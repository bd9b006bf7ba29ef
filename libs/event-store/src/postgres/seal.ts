import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from '#libs/database';

/**
 * Sealing: the store-wide half of the tamper evidence (the per-stream chains are the other, see integrity.ts).
 *
 * Events are sealed in `$all` order, below the safe horizon (ADR 0002), into checkpoints: checkpoint n covers every
 * position in (after, upto] and commits to each event's leaf (a SHA-256 over its position, transaction id, stream,
 * revision, id, type, schema version, recorded time, data and metadata, as stored) through a chained head:
 * head = H(… H(H(previous head ‖ leaf₁) ‖ leaf₂) … ‖ leafₖ). Nothing of this is done on the append path: a checkpoint
 * is built afterwards, by whoever seals (libs/audit, anchoring), and signed there with a key the database never holds.
 * Below the horizon no transaction can still commit, so a sealed range never gains a legitimate event later: a row
 * that appears in it afterwards was put there behind the store's back.
 */

/** What a leaf is computed from: one stored row, read as text exactly as PostgreSQL prints it. */
export interface SealRow {
  position: string;
  transaction_id: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  /** Microseconds since the epoch: the stored timestamp, without any time zone or rounding in between. */
  recorded_us: string;
  /** `data::text`: jsonb's canonical text (keys ordered, fixed spacing), the same after a dump and restore. */
  data: string;
  metadata: string;
}

/** Positions come out as text: a query ordering by them must name `es_events.position` (text sorts 10 before 9). */
export const SEAL_COLUMNS = `position::text, transaction_id::text, stream_name, stream_revision::text, event_id::text,
  event_type, schema_version, (extract(epoch FROM recorded_at) * 1000000)::bigint::text AS recorded_us,
  data::text AS data, metadata::text AS metadata`;

const LEAF_VERSION = 'kulturskole-event-leaf-v1';

/** Every field length-prefixed, so no field's content can shift into the next one. */
export const eventLeaf = (row: SealRow): Buffer => {
  const hash = createHash('sha256');
  for (const field of [
    LEAF_VERSION,
    row.position,
    row.transaction_id,
    row.stream_name,
    row.stream_revision,
    row.event_id,
    row.event_type,
    String(row.schema_version),
    row.recorded_us,
    row.data,
    row.metadata,
  ]) {
    const bytes = Buffer.from(field, 'utf8');
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest();
};

/** The head before the first checkpoint. */
export const GENESIS_HEAD = Buffer.alloc(32);

export const chainLeaf = (previous: Buffer, leaf: Buffer): Buffer =>
  createHash('sha256').update(previous).update(leaf).digest();

/** A leaf's first 8 bytes, in hex: what an anchor lists per event so a verifier can name the event that differs. */
export const leafFingerprint = (leaf: Buffer): string => leaf.subarray(0, 8).toString('hex');

export interface SealedEvent {
  position: bigint;
  streamName: string;
  streamRevision: number;
  eventId: string;
  leaf: Buffer;
}

const sealed = (row: SealRow): SealedEvent => ({
  position: BigInt(row.position),
  streamName: row.stream_name,
  streamRevision: Number(row.stream_revision),
  eventId: row.event_id,
  leaf: eventLeaf(row),
});

/** The stored events with after < position ≤ upto (or to the end), in position order, read page by page. */
export async function* sealedEvents(
  pool: Pool,
  range: { after: bigint; upto?: bigint },
  pageSize = 2_000,
): AsyncGenerator<SealedEvent> {
  let from = range.after;
  for (;;) {
    const { rows } = await pool.query<SealRow>(
      `SELECT ${SEAL_COLUMNS} FROM es_events
        WHERE position > $1 AND ($2::bigint IS NULL OR position <= $2)
        ORDER BY es_events.position LIMIT $3`,
      [String(from), range.upto === undefined ? null : String(range.upto), pageSize],
    );
    for (const row of rows) yield sealed(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    from = BigInt(last.position);
  }
}

/** One sealed checkpoint as the database keeps it: the sealer's own state; the signed anchor is the evidence. */
export interface StoredCheckpoint {
  seq: number;
  after: bigint;
  upto: bigint;
  eventCount: number;
  head: Buffer;
  /** The signed anchor, exactly as published. */
  anchor: string;
}

/** What a new checkpoint covers, before it is signed. */
export interface CheckpointDraft {
  seq: number;
  after: bigint;
  upto: bigint;
  previousHead: Buffer;
  head: Buffer;
  events: { position: bigint; fingerprint: string }[];
}

// Any constant: one sealer at a time per database.
const SEAL_LOCK = 4_711_2021;

const storedOf = (row: {
  seq: string;
  after_position: string;
  upto_position: string;
  event_count: number;
  head: Buffer;
  anchor: string;
}): StoredCheckpoint => ({
  seq: Number(row.seq),
  after: BigInt(row.after_position),
  upto: BigInt(row.upto_position),
  eventCount: row.event_count,
  head: row.head,
  anchor: row.anchor,
});

/** The stored checkpoints after `afterSeq`, in order, at most `limit`. */
export const storedCheckpoints = async (
  pool: Pool | PoolClient,
  afterSeq = 0,
  limit = 1_000,
): Promise<StoredCheckpoint[]> => {
  const { rows } = await pool.query<Parameters<typeof storedOf>[0]>(
    `SELECT seq::text, after_position::text, upto_position::text, event_count, head, anchor
       FROM es_checkpoints WHERE seq > $1 ORDER BY es_checkpoints.seq LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map(storedOf);
};

export const lastStoredCheckpoint = async (pool: Pool | PoolClient): Promise<StoredCheckpoint | undefined> => {
  const { rows } = await pool.query<Parameters<typeof storedOf>[0]>(
    `SELECT seq::text, after_position::text, upto_position::text, event_count, head, anchor
       FROM es_checkpoints ORDER BY es_checkpoints.seq DESC LIMIT 1`,
  );
  return rows[0] ? storedOf(rows[0]) : undefined;
};

/**
 * Seals the events after the last checkpoint and below the safe horizon (at most `maxEvents`) into the next
 * checkpoint, which `sign` turns into its published form before it is stored; nothing when there is nothing new.
 * One sealer at a time (an advisory lock); the transaction takes an id only for its one insert, so it holds the
 * readers' horizon back for no longer than that.
 */
export const sealNextCheckpoint = async (
  pool: Pool,
  sign: (draft: CheckpointDraft) => string,
  options: { maxEvents?: number } = {},
): Promise<StoredCheckpoint | undefined> => {
  const maxEvents = options.maxEvents ?? 5_000;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
      const last = await lastStoredCheckpoint(client);
      const after = last?.upto ?? -1n;
      // The horizon and the rows in one statement, so one snapshot: every id below the horizon has finished in it.
      const { rows } = await client.query<SealRow & { horizon: string }>(
        `WITH h AS MATERIALIZED (SELECT es_safe_horizon() AS horizon)
         SELECT h.horizon::text AS horizon, e.*
           FROM h LEFT JOIN LATERAL (
             SELECT ${SEAL_COLUMNS} FROM es_events
              WHERE position > $1 AND position < h.horizon ORDER BY es_events.position LIMIT $2
           ) e ON true
          ORDER BY e.position::bigint`,
        [String(after), maxEvents],
      );
      const events = rows.filter((row) => row.position !== null);
      const lastEvent = events.at(-1);
      if (!lastEvent) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const horizon = BigInt(lastEvent.horizon);
      // A full page may stop short of the horizon: then the checkpoint ends at its last event.
      const upto = events.length === maxEvents ? BigInt(lastEvent.position) : horizon - 1n;
      const previousHead = last?.head ?? GENESIS_HEAD;
      let head = previousHead;
      const listed: CheckpointDraft['events'] = [];
      for (const row of events) {
        const leaf = eventLeaf(row);
        head = chainLeaf(head, leaf);
        listed.push({ position: BigInt(row.position), fingerprint: leafFingerprint(leaf) });
      }
      const draft: CheckpointDraft = { seq: (last?.seq ?? 0) + 1, after, upto, previousHead, head, events: listed };
      const anchor = sign(draft);
      await client.query(
        `INSERT INTO es_checkpoints (seq, after_position, upto_position, event_count, head, anchor)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [draft.seq, String(after), String(upto), listed.length, head, anchor],
      );
      await client.query('COMMIT');
      return { seq: draft.seq, after, upto, eventCount: listed.length, head, anchor };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
};

/** How far each publication target (the anchor file, the Kafka topic) has been given the checkpoints. */
export const publishedThrough = async (pool: Pool, target: string): Promise<number> => {
  const { rows } = await pool.query<{ through_seq: string }>(
    'SELECT through_seq::text FROM es_checkpoint_publications WHERE target = $1',
    [target],
  );
  return Number(rows[0]?.through_seq ?? 0);
};

export const markPublished = async (pool: Pool, target: string, throughSeq: number): Promise<void> => {
  await pool.query(
    `INSERT INTO es_checkpoint_publications AS p (target, through_seq) VALUES ($1, $2)
     ON CONFLICT (target) DO UPDATE SET through_seq = greatest(p.through_seq, excluded.through_seq)`,
    [target, throughSeq],
  );
};
