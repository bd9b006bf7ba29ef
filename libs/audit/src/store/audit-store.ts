import type { Pool } from '#libs/database';
import type { CheckpointDraft, EventMetadata, IntegrityReport, SealedEvent, StoredCheckpoint } from '#libs/event-store';

/** One stored event as the auditor reads it: the envelope exactly as stored (no upcasting). */
export interface AuditEvent {
  position: bigint;
  streamName: string;
  streamRevision: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: Date;
}

/** What the store-wide and per-stream checks of this store can tell; docs/audit.md, Integrity. */
export type StoreChecks =
  /** PostgreSQL: a SHA-256 chain per stream kept in the database, recomputed and compared. */
  | 'hash chains kept in the database'
  /** Any store through the port (EventStoreDB): no hashes in the store, only gapless revisions and stream heads. */
  | 'revision continuity';

/**
 * What the auditor's history and integrity verifier read, on either store: the PostgreSQL store straight from its
 * tables (PostgresAuditStore), any other store through the EventStore port (EventStoreAuditStore, used for
 * EventStoreDB). Both are held to the same spec (./audit-store.contract.ts).
 */
export interface AuditStore {
  readonly checks: StoreChecks;
  /**
   * The tenant's events whose data names any of the ids anywhere (ids are checked by the caller: letters, digits,
   * `_`, `-`), in `$all` order, at most `limit`.
   */
  mentioning(tenant: string, ids: readonly string[], limit: number): Promise<AuditEvent[]>;
  /** The store's own per-stream check (one stream, or every stream): the first break in `$all` order. */
  verifyStreams(options: { streamName?: string }): Promise<IntegrityReport>;
  /** The stored events with after < position ≤ upto (or to the end), in position order, each with its leaf. */
  sealedEvents(range: { after: bigint; upto?: bigint }): AsyncGenerator<SealedEvent>;
  /** How many events are stored with after < position ≤ upto (one stream, or all). */
  countEvents(range: { after?: bigint; upto?: bigint; streamName?: string }): Promise<number>;
  /** Checkpoints sealed (kept in PostgreSQL for either store), and how many of them the anchor file was given. */
  checkpoints(): Promise<{ sealed: number; publishedToFile: number }>;
  /** Seals the events after the last checkpoint into the next one (nothing when there are none). */
  sealNext(
    sign: (draft: CheckpointDraft) => string,
    options?: { maxEvents?: number },
  ): Promise<StoredCheckpoint | undefined>;
}

/** The seal's checkpoints in the PostgreSQL database, and how far the anchor file has them. */
export const checkpointsIn = async (pool: Pool): Promise<{ sealed: number; publishedToFile: number }> => {
  const { rows } = await pool.query<{ sealed: string; file: string | null }>(
    `SELECT (SELECT count(*) FROM es_checkpoints)::text AS sealed,
            (SELECT through_seq FROM es_checkpoint_publications WHERE target = 'file')::text AS file`,
  );
  return { sealed: Number(rows[0]?.sealed ?? 0), publishedToFile: Number(rows[0]?.file ?? 0) };
};
