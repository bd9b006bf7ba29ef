import { SameTurnBatch } from '#libs/database';
import type pg from 'pg';
import type { EventFilter, ReadAllOptions } from '../event-store.js';
import { tenantShardOf, tenantShardSql } from '../tenant-shard.js';
import type { EventRow } from './event-row.js';

/** A page of `$all` as rows (ReadAllPage before the rows become events). */
export interface RowsPage {
  rows: EventRow[];
  lastPosition: bigint | undefined;
  isEnd: boolean;
}

const DEFAULT_MAX = 1000;

/**
 * Reads of `$all`, those asked for in the same turn answered by one statement (SameTurnBatch). An append wakes every
 * subscription of the process at once, and each used to read the same new events with its own statement and its own
 * look at the safe horizon (ADR 0027). Together they read once from the lowest position, under the union of their
 * filters, and each gets what its own read would have: its events after its position, through its filter, at most its
 * count. A read the shared page did not reach (it starts past the page's end) is read on its own.
 */
export class AllReads {
  private readonly batch: SameTurnBatch<ReadAllOptions, RowsPage>;
  private readonly shards = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly columns: string,
  ) {
    this.batch = new SameTurnBatch((reads) => this.answer(reads));
  }

  read(options: ReadAllOptions): Promise<RowsPage> {
    return this.batch.ask(options);
  }

  private async answer(reads: ReadAllOptions[]): Promise<RowsPage[]> {
    const [only] = reads;
    if (reads.length === 1 && only) return [await this.page(only)];
    const from = reads.map((r) => r.fromPosition ?? 0n).reduce((low, next) => (next < low ? next : low));
    const maxCount = Math.max(...reads.map((r) => r.maxCount ?? DEFAULT_MAX));
    const { rows, horizon } = await this.select({ fromPosition: from, maxCount, filter: unionOf(reads) });
    const isEnd = rows.length < maxCount;
    const positions = rows.map((row) => BigInt(row.position));
    const covered = isEnd ? horizon - 1n : (positions[positions.length - 1] ?? from);
    return Promise.all(
      reads.map(async (read) => {
        const after = read.fromPosition ?? 0n;
        if (!isEnd && after >= covered) return this.page(read);
        const most = read.maxCount ?? DEFAULT_MAX;
        const mine = rows.filter((row, n) => (positions[n] ?? 0n) > after && this.matches(read.filter, row));
        if (mine.length >= most) {
          const taken = mine.slice(0, most);
          return { rows: taken, lastPosition: BigInt(taken[taken.length - 1]?.position ?? after), isEnd: false };
        }
        return { rows: mine, lastPosition: isEnd ? maxBigint(read.fromPosition, horizon - 1n) : covered, isEnd };
      }),
    );
  }

  /** One read alone: the horizon and the events below it, through the filter on the server. */
  private async page(options: ReadAllOptions): Promise<RowsPage> {
    const maxCount = options.maxCount ?? DEFAULT_MAX;
    const { rows, horizon } = await this.select({ ...options, maxCount });
    const isEnd = rows.length < maxCount;
    // At the end, everything below the horizon has been scanned, matching or not.
    const last = rows[rows.length - 1];
    const lastPosition = isEnd ? maxBigint(options.fromPosition, horizon - 1n) : last && BigInt(last.position);
    return { rows, lastPosition, isEnd };
  }

  private async select(options: ReadAllOptions & { maxCount: number }) {
    const [where, params] = filterClause(options.filter, 3);
    // The horizon and the events below it in one statement (one round trip per read, and one snapshot for both); the
    // horizon row comes back also when no event does.
    const { rows } = await this.pool.query<EventRow & { es_horizon: string }>(
      `WITH h AS MATERIALIZED (SELECT es_safe_horizon() AS horizon)
       SELECT h.horizon::text AS es_horizon, e.* FROM h LEFT JOIN LATERAL (
         SELECT ${this.columns} FROM es_events
          WHERE position > $1 AND position < h.horizon ${where}
          ORDER BY position LIMIT $2
       ) e ON true`,
      [String(options.fromPosition ?? 0n), options.maxCount, ...params],
    );
    const horizon = BigInt(rows[0]?.es_horizon ?? '0');
    const found: EventRow[] = rows.filter((row) => row.position !== null);
    // SQL keeps no order through the join; the rows are put in $all order here if they ever came otherwise.
    if (found.some((row, index) => index > 0 && positionBefore(row.position, found[index - 1]?.position ?? ''))) {
      found.sort((a, b) => (positionBefore(a.position, b.position) ? -1 : 1));
    }
    return { rows: found, horizon };
  }

  /** The filter as filterClause applies it on the server, on a stored row (its type before any upcasting). */
  private matches(filter: EventFilter | undefined, row: EventRow): boolean {
    if (filter?.eventTypes?.length && !filter.eventTypes.includes(row.event_type)) return false;
    if (filter?.streamPrefixes?.length && !filter.streamPrefixes.some((p) => row.stream_name.startsWith(p)))
      return false;
    if (filter?.tenantShard) {
      const { count, index } = filter.tenantShard;
      const tenant = row.stream_name.split('.', 1)[0] ?? '';
      const key = `${count}:${tenant}`;
      let shard = this.shards.get(key);
      if (shard === undefined) {
        if (this.shards.size > 10_000) this.shards.clear();
        this.shards.set(key, (shard = tenantShardOf(tenant, count)));
      }
      if (shard !== index) return false;
    }
    return true;
  }
}

/**
 * A filter that lets through everything each of the reads' filters does: the types of all when each names types,
 * the prefixes of all when each names prefixes, the shard when all name the same one. Each read's own filter is applied
 * to the rows afterwards.
 */
const unionOf = (reads: ReadAllOptions[]): EventFilter => {
  const filters = reads.map((r) => r.filter);
  const every = <T>(pick: (f: EventFilter) => readonly T[] | undefined) =>
    filters.every((f) => f && pick(f)?.length) ? [...new Set(filters.flatMap((f) => (f && pick(f)) ?? []))] : undefined;
  const shards = new Set(filters.map((f) => (f?.tenantShard ? `${f.tenantShard.count}:${f.tenantShard.index}` : '')));
  const [first] = filters;
  return {
    eventTypes: every((f) => f.eventTypes),
    streamPrefixes: every((f) => f.streamPrefixes),
    tenantShard: shards.size === 1 && first?.tenantShard ? first.tenantShard : undefined,
  };
};

/** Positions as PostgreSQL gives them (decimal text, no sign): shorter is smaller, else the text decides. */
const positionBefore = (a: string, b: string): boolean => a.length < b.length || (a.length === b.length && a < b);

/** A stream prefix that is a whole tenant: `<tenant>.` (stream-name.ts). */
const TENANT_PREFIX = /^[a-z][a-z0-9-]{1,39}\.$/;

const filterClause = (filter: EventFilter | undefined, firstParam: number): [string, unknown[]] => {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter?.eventTypes?.length) {
    params.push(filter.eventTypes);
    clauses.push(`AND event_type = ANY ($${firstParam + params.length - 1})`);
  }
  if (filter?.streamPrefixes?.length && filter.streamPrefixes.every((prefix) => TENANT_PREFIX.test(prefix))) {
    // Whole tenants: the same rows as the prefix test, found through es_events_tenant_position.
    // One tenant as a plain equality, so the index also gives the position order.
    const tenants = filter.streamPrefixes.map((prefix) => prefix.slice(0, -1));
    params.push(tenants.length === 1 ? tenants[0] : tenants);
    const placeholder = `$${firstParam + params.length - 1}`;
    clauses.push(
      tenants.length === 1
        ? `AND split_part(stream_name, '.', 1) = ${placeholder}::text`
        : `AND split_part(stream_name, '.', 1) = ANY (${placeholder}::text[])`,
    );
  } else if (filter?.streamPrefixes?.length) {
    params.push(filter.streamPrefixes);
    clauses.push(
      `AND EXISTS (SELECT 1 FROM unnest($${firstParam + params.length - 1}::text[]) AS p WHERE starts_with(stream_name, p))`,
    );
  }
  if (filter?.tenantShard) {
    params.push(filter.tenantShard.count, filter.tenantShard.index);
    const count = `$${firstParam + params.length - 2}::int`;
    clauses.push(`AND ${tenantShardSql('stream_name', count)} = $${firstParam + params.length - 1}::int`);
  }
  return [clauses.join(' '), params];
};

const maxBigint = (a: bigint | undefined, b: bigint): bigint => (a !== undefined && a > b ? a : b);
