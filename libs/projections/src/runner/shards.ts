import type { Pool, PoolClient } from '#libs/database';
import { tenantShardOf, type RecordedEvent } from '#libs/event-store';

/**
 * A live table set may be split by tenant into shards (ADR 0020): shard `index` of `count` applies the events of the
 * tenants that hash to it and keeps its own position. The set's checkpoint row then holds the lowest shard position:
 * every event up to it is applied for every tenant, so readers, freshness and ETags stay as they are.
 */
export interface Shard {
  index: number;
  count: number;
}

/** Where one shard of a table set stands. */
export interface ShardCursor {
  position: string;
  /** The table set's status: it lives on the set's row, so a failure in one shard stops every shard. */
  status: string;
}

/** Whether an event belongs to the shard (its tenant hashes to it); a tenant's shard is remembered. */
export const inShard = (shard: Shard): ((event: RecordedEvent) => boolean) => {
  const known = new Map<string, boolean>();
  return (event) => {
    const tenant = event.metadata.tenant;
    let mine = known.get(tenant);
    if (mine === undefined) {
      // The store's own definition of a tenant's shard, so it can filter by shard on its side.
      mine = tenantShardOf(tenant, shard.count) === shard.index;
      known.set(tenant, mine);
    }
    return mine;
  };
};

/** The number of shards a table set was created with: 1 when it has no shard rows. Fixed for the set's life. */
export const shardCountOf = async (db: Pool | PoolClient, tableSet: string): Promise<number> => {
  const { rows } = await db.query<{ shards: number | null }>(
    'SELECT max(shards) AS shards FROM projection_shards WHERE table_set = $1',
    [tableSet],
  );
  return rows[0]?.shards ?? 1;
};

/** Creates the shard rows of a new table set (a set that already has a checkpoint keeps how it was split). */
export const createShardsSql = `
  INSERT INTO projection_shards (table_set, shard, shards)
  SELECT $1, s, $2 FROM generate_series(0, $2 - 1) AS s
  ON CONFLICT DO NOTHING`;

export const loadShardCursor = async (
  db: Pool | PoolClient,
  tableSet: string,
  shard: Shard,
  lock = false,
): Promise<ShardCursor | undefined> => {
  const { rows } = await db.query<ShardCursor>(
    `SELECT s.position::text AS position, c.status FROM projection_shards s
       JOIN projection_checkpoints c ON c.table_set = s.table_set
      WHERE s.table_set = $1 AND s.shard = $2${lock ? ' FOR UPDATE OF s' : ''}`,
    [tableSet, shard.index],
  );
  return rows[0];
};

/**
 * Moves a shard after its batch, in the batch's transaction, then the set's row to the lowest shard position. The
 * set's row is moved under a lock taken after the shard's own write, in a new statement: it sees every other shard's
 * committed position, so the lowest one is never missed (a stale minimum would hold the set back until the next batch).
 */
export const saveShard = async (
  client: PoolClient,
  tableSet: string,
  shard: Shard,
  moved: { position: bigint; events: number; lastEventAt: Date | undefined },
): Promise<void> => {
  await client.query(
    `UPDATE projection_shards SET position = $3, events_applied = events_applied + $4, updated_at = now(),
            last_event_at = coalesce($5, last_event_at)
      WHERE table_set = $1 AND shard = $2`,
    [tableSet, shard.index, String(moved.position), moved.events, moved.lastEventAt ?? null],
  );
  await client.query("SELECT pg_advisory_xact_lock(hashtext('projection-shards:' || $1))", [tableSet]);
  await client.query(
    `UPDATE projection_checkpoints c
        SET position = m.position, events_applied = m.events_applied, last_event_at = m.last_event_at,
            updated_at = now()
       FROM (SELECT min(position) AS position, sum(events_applied) AS events_applied,
                    max(last_event_at) AS last_event_at
               FROM projection_shards WHERE table_set = $1) m
      WHERE c.table_set = $1`,
    [tableSet],
  );
};

/** Marks the shard as having reached the head once; the set switches when every shard has (allShardsCaughtUp). */
export const markShardCaughtUp = async (pool: Pool, tableSet: string, shard: Shard): Promise<void> => {
  await pool.query(
    'UPDATE projection_shards SET caught_up = true WHERE table_set = $1 AND shard = $2 AND NOT caught_up',
    [tableSet, shard.index],
  );
};

/** Whether every shard of the set has reached the head once (read inside the switch transaction). */
export const allShardsCaughtUp = async (client: PoolClient, tableSet: string): Promise<boolean> => {
  const { rows } = await client.query<{ all: boolean | null }>(
    'SELECT bool_and(caught_up) AS all FROM projection_shards WHERE table_set = $1',
    [tableSet],
  );
  return rows[0]?.all !== false;
};
