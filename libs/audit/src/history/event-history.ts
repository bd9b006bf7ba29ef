import { DomainError } from '#libs/decider';
import type { Pool } from '#libs/database';
import type { Actor } from '#libs/event-store';
import { asAuditStore } from '../store/audit-store-for.js';
import type { AuditEvent, AuditStore } from '../store/audit-store.js';
import { mentions } from './mentions.projection.js';

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

/**
 * Every event in the tenant's streams whose data names the id (or an id linked to it) anywhere, in `$all` order, on
 * either store (../store): PostgreSQL through the audit_mentions index (mentions.projection.ts) up to the index's
 * checkpoint and its event table above it; EventStoreDB through the port, by reading the tenant's events from `$all`.
 */
export class EventHistory {
  private readonly source: AuditStore;

  /** A pool is the PostgreSQL store. */
  constructor(source: AuditStore | Pool) {
    this.source = asAuditStore(source);
  }

  async of(tenant: string, id: string, options: { limit?: number } = {}): Promise<History> {
    if (!ID.test(id)) throw new IdIsNotSearchable();
    const limit = Math.min(options.limit ?? MAX_EVENTS, MAX_EVENTS);
    const viaOf = new Map<string, string | null>([[id, null]]);
    const linked: History['linked'] = [];
    const follow = (rows: readonly AuditEvent[], fields: readonly string[], from: string | null) => {
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

    const byPosition = new Map<bigint, AuditEvent>();
    for (const row of [...direct, ...hop1, ...hop2]) byPosition.set(row.position, row);
    const rows = [...byPosition.values()].sort((a, b) => compare(a.position, b.position));
    const entries = rows.slice(0, limit).map((row) => toEntry(row, viaFor(row.data, id, viaOf)));
    return { id, entries, linked, truncated: rows.length > limit };
  }

  // Ids are checked against ID above. The links are followed over the whole search, not only the page asked for, so
  // a short page still shows the same events first.
  private mentioning(tenant: string, ids: readonly string[]): Promise<AuditEvent[]> {
    return this.source.mentioning(tenant, ids, MAX_EVENTS + 1);
  }
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

const viaFor = (data: unknown, id: string, viaOf: ReadonlyMap<string, string | null>): string | null => {
  if (mentions(data, id)) return null;
  for (const [linked, via] of viaOf) if (linked !== id && mentions(data, linked)) return via;
  return null;
};

const toEntry = (row: AuditEvent, via: string | null): HistoryEntry => ({
  position: String(row.position),
  streamName: row.streamName,
  revision: row.streamRevision,
  type: row.type,
  schemaVersion: row.schemaVersion,
  occurredAt: row.metadata.occurredAt,
  recordedAt: row.recordedAt.toISOString(),
  actor: row.metadata.actor,
  command: row.metadata.causationId,
  correlationId: row.metadata.correlationId,
  reason: row.metadata.reason ?? null,
  via,
  data: row.data,
});
