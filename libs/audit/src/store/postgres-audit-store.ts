import type { Pool } from '#libs/database';
import {
  sealedEvents,
  sealNextCheckpoint,
  verifyIntegrity,
  type CheckpointDraft,
  type EventMetadata,
  type IntegrityReport,
  type SealedEvent,
  type StoredCheckpoint,
} from '#libs/event-store';
import { auditMentionsProjection, isUuid } from '../history/mentions.projection.js';
import { checkpointsIn, type AuditEvent, type AuditStore } from './audit-store.js';

interface EventRow {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

// Where the live build of the index has got to: every event at or below it is in audit_mentions.
const INDEX_CHECKPOINT = `SELECT coalesce(max(c.position), 0) AS position FROM projection_live l
   JOIN projection_checkpoints c ON c.table_set = l.table_set WHERE l.projection = '${auditMentionsProjection.name}'`;

/**
 * The PostgreSQL store read from its own tables: the history through the audit_mentions index (ADR 0008), the hash
 * chains of migration event-store/0002, and leaves over every stored column including the transaction id.
 */
export class PostgresAuditStore implements AuditStore {
  readonly checks = 'hash chains kept in the database' as const;
  private indexReady = false;

  constructor(private readonly pool: Pool) {}

  // One statement, so the index, its checkpoint and the store are read in one snapshot: the index answers up to its
  // checkpoint, the store's events above it are searched directly (few while the index keeps up), and an id that is
  // not a uuid (never indexed) is searched in the whole store. The ids stand inside the jsonpath literal: the caller
  // checked them.
  async mentioning(tenant: string, ids: readonly string[], limit: number): Promise<AuditEvent[]> {
    const path = `$.** ? (${ids.map((id) => `@ == "${id}"`).join(' || ')})`;
    const indexed = ids.every(isUuid) && (await this.indexExists());
    const fromIndex = indexed
      ? `SELECT m.position FROM audit_mentions m, indexed i
          WHERE m.tenant = $4 AND m.id = ANY ($5::uuid[]) AND m.position <= i.position UNION`
      : '';
    const { rows } = await this.pool.query<EventRow>(
      `WITH indexed AS (
         ${indexed ? INDEX_CHECKPOINT : 'SELECT 0::bigint AS position'}
       ), hits AS (
         ${fromIndex}
         SELECT e.position FROM es_events e, indexed i WHERE e.position > i.position AND e.data @? $1::jsonpath
       )
       SELECT position::text, stream_name, stream_revision::text, event_id::text, event_type, schema_version, data,
              metadata, recorded_at
         FROM es_events WHERE position IN (SELECT position FROM hits) AND starts_with(stream_name, $2)
        ORDER BY es_events.position LIMIT $3`,
      [path, `${tenant}.`, limit, ...(indexed ? [tenant, ids] : [])],
    );
    return rows.map((row) => ({
      position: BigInt(row.position),
      streamName: row.stream_name,
      streamRevision: Number(row.stream_revision),
      eventId: row.event_id,
      type: row.event_type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
    }));
  }

  verifyStreams(options: { streamName?: string }): Promise<IntegrityReport> {
    return verifyIntegrity(this.pool, options);
  }

  sealedEvents(range: { after: bigint; upto?: bigint }): AsyncGenerator<SealedEvent> {
    return sealedEvents(this.pool, range);
  }

  async countEvents(range: { after?: bigint; upto?: bigint; streamName?: string }): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM es_events
        WHERE ($1::bigint IS NULL OR position > $1) AND ($2::bigint IS NULL OR position <= $2)
          AND ($3::text IS NULL OR stream_name = $3)`,
      [
        range.after === undefined ? null : String(range.after),
        range.upto === undefined ? null : String(range.upto),
        range.streamName ?? null,
      ],
    );
    return Number(rows[0]?.n ?? 0);
  }

  checkpoints(): Promise<{ sealed: number; publishedToFile: number }> {
    return checkpointsIn(this.pool);
  }

  sealNext(
    sign: (draft: CheckpointDraft) => string,
    options: { maxEvents?: number } = {},
  ): Promise<StoredCheckpoint | undefined> {
    return sealNextCheckpoint(this.pool, sign, options);
  }

  // The index's tables appear when the projection runner first starts it; until then the store is searched whole.
  private async indexExists(): Promise<boolean> {
    if (this.indexReady) return true;
    const { rows } = await this.pool.query<{ ready: boolean }>(
      `SELECT to_regclass('public.audit_mentions') IS NOT NULL AND to_regclass('public.projection_live') IS NOT NULL AS ready`,
    );
    this.indexReady = rows[0]?.ready === true;
    return this.indexReady;
  }
}
