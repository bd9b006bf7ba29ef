import { DomainError } from '#libs/decider';
import type { Pool } from '#libs/database';
import type { Actor, EventMetadata } from '#libs/event-store';
import { auditMentionsProjection, isUuid } from './mentions.projection.js';

/** One event in an auditor's history: the fact, who caused it, when, through which command, and why. */
export interface HistoryEntry {
  position: string;
  streamName: string;
  revision: number;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  /** The command the event came from (its causation id). */
  command: string;
  correlationId: string;
  reason: string | null;
  /** null: the event names the id itself; otherwise the chain of linked ids that led to it, e.g. `payerId 9f…`. */
  via: string | null;
  data: unknown;
}

export interface History {
  id: string;
  entries: HistoryEntry[];
  /** Ids the history followed from the events naming the id directly (a place, an offer, the payer's household). */
  linked: { field: string; id: string; via: string | null }[];
  truncated: boolean;
}

export class IdIsNotSearchable extends DomainError {
  readonly kind = 'invalid';
  constructor() {
    super('An id to trace is 1–100 letters, digits, "_" or "-" (a pseudonymous subject id, an application id, …)');
  }
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

/*
 * Which fields of a found event lead on to other cases: the first hop follows places, offers, applications and the
 * paying household; from those only application ids (a waiver case leads to its budget allocation). Offerings,
 * schools and districts are never followed: they would pull in everybody else.
 */
const FIRST_HOP = ['placeId', 'offerId', 'applicationId', 'payerId', 'householdId'] as const;
const SECOND_HOP = ['applicationId'] as const;
const MAX_EVENTS = 10_000;

interface EventRow {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

/**
 * Every event in the tenant's streams whose data names the id (or an id linked to it) anywhere, in `$all` order.
 * It reads es_events directly (PostgreSQL store), through the audit_mentions index (mentions.projection.ts) up to the
 * index's checkpoint. The EventStoreDB store would need the index to hold whole events instead.
 */
export class EventHistory {
  constructor(private readonly pool: Pool) {}

  async of(tenant: string, id: string, options: { limit?: number } = {}): Promise<History> {
    if (!ID.test(id)) throw new IdIsNotSearchable();
    const limit = Math.min(options.limit ?? MAX_EVENTS, MAX_EVENTS);
    const viaOf = new Map<string, string | null>([[id, null]]);
    const linked: History['linked'] = [];
    const follow = (rows: readonly EventRow[], fields: readonly string[], from: string | null) => {
      for (const row of rows) {
        const data = row.data as Record<string, unknown>;
        for (const field of fields) {
          const value = data[field];
          if (typeof value !== 'string' || !ID.test(value) || viaOf.has(value)) continue;
          const via = `${from ? `${from} → ` : ''}${field} ${value}`;
          viaOf.set(value, via);
          linked.push({ field, id: value, via: from });
        }
      }
    };

    const direct = await this.mentioning(tenant, [id]);
    follow(direct, FIRST_HOP, null);
    const firstHop = [...viaOf.keys()].filter((k) => k !== id);
    const hop1 = firstHop.length > 0 ? await this.mentioning(tenant, firstHop) : [];
    for (const link of linked.slice()) {
      const rows = hop1.filter((row) => mentions(row.data, link.id));
      follow(rows, SECOND_HOP, viaOf.get(link.id) ?? null);
    }
    const secondHop = [...viaOf.keys()].filter((k) => k !== id && !firstHop.includes(k));
    const hop2 = secondHop.length > 0 ? await this.mentioning(tenant, secondHop) : [];

    const byPosition = new Map<string, EventRow>();
    for (const row of [...direct, ...hop1, ...hop2]) byPosition.set(row.position, row);
    const rows = [...byPosition.values()].sort((a, b) => compare(BigInt(a.position), BigInt(b.position)));
    const entries = rows.slice(0, limit).map((row) => toEntry(row, viaFor(row.data, id, viaOf)));
    return { id, entries, linked, truncated: rows.length > limit };
  }

  // Ids are checked against ID above, so they can stand inside the jsonpath literal. The links are followed over the
  // whole search, not only the page asked for, so a short page still shows the same events first.
  // One statement, so the index, its checkpoint and the store are read in one snapshot: the index answers up to its
  // checkpoint, the store's events above it are searched directly (few while the index keeps up), and an id that is
  // not a uuid (never indexed) is searched in the whole store.
  private async mentioning(tenant: string, ids: readonly string[]): Promise<EventRow[]> {
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
       SELECT position::text, stream_name, stream_revision::text, event_type, schema_version, data, metadata, recorded_at
         FROM es_events WHERE position IN (SELECT position FROM hits) AND starts_with(stream_name, $2)
        ORDER BY es_events.position LIMIT $3`,
      [path, `${tenant}.`, MAX_EVENTS + 1, ...(indexed ? [tenant, ids] : [])],
    );
    return rows;
  }

  private indexReady = false;

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

// Where the live build of the index has got to: every event at or below it is in audit_mentions.
const INDEX_CHECKPOINT = `SELECT coalesce(max(c.position), 0) AS position FROM projection_live l
   JOIN projection_checkpoints c ON c.table_set = l.table_set WHERE l.projection = '${auditMentionsProjection.name}'`;

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a value appears anywhere in the data, as the jsonpath `$.**` search found it. */
export const mentions = (data: unknown, id: string): boolean => {
  if (data === id) return true;
  if (Array.isArray(data)) return data.some((item) => mentions(item, id));
  if (data !== null && typeof data === 'object') return Object.values(data).some((value) => mentions(value, id));
  return false;
};

const viaFor = (data: unknown, id: string, viaOf: ReadonlyMap<string, string | null>): string | null => {
  if (mentions(data, id)) return null;
  for (const [linked, via] of viaOf) if (linked !== id && mentions(data, linked)) return via;
  return null;
};

const toEntry = (row: EventRow, via: string | null): HistoryEntry => ({
  position: row.position,
  streamName: row.stream_name,
  revision: Number(row.stream_revision),
  type: row.event_type,
  schemaVersion: row.schema_version,
  occurredAt: row.metadata.occurredAt,
  recordedAt: row.recorded_at.toISOString(),
  actor: row.metadata.actor,
  command: row.metadata.causationId,
  correlationId: row.metadata.correlationId,
  reason: row.metadata.reason ?? null,
  via,
  data: row.data,
});
