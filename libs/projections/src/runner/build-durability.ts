import type { PoolClient } from '#libs/database';
import type { ProjectionTable } from '../projection.js';
import type { TableSet } from './table-set.js';

/*
 * A live table set is built UNLOGGED: a rebuild then writes no WAL for its rows, a large part of PostgreSQL's cost of
 * a batch. Once the set has caught up, before it may switch or get its extra indexes, its tables are set LOGGED (one
 * rewrite, written to the WAL once, so replicas and backups have it from then on). The price is the crash rule: a
 * crash of the database server empties unlogged tables, so a set found still UNLOGGED, empty, and with a checkpoint
 * past zero starts again from the beginning. (A set that truly had no rows starts again too, which costs only time.)
 */

/** The set's tables that are still UNLOGGED. */
export const unloggedTables = async (
  client: PoolClient,
  set: TableSet,
  tables: readonly ProjectionTable[],
): Promise<string[]> => {
  const { rows } = await client.query<{ name: string }>(
    `SELECT t.name FROM unnest($1::text[], $2::text[]) AS t(name, qualified)
       JOIN pg_class c ON c.oid = to_regclass(t.qualified)
      WHERE c.relpersistence = 'u'`,
    [tables.map((table) => table.name), tables.map((table) => set.table(table.name))],
  );
  return rows.map((row) => row.name);
};

/**
 * The crash rule, run under the projection's lock before the set runs: true when it found the set emptied by a crash
 * and moved its checkpoint (and every shard's) back to zero.
 */
export const restartIfEmptiedByCrash = async (
  client: PoolClient,
  set: TableSet,
  tables: readonly ProjectionTable[],
): Promise<boolean> => {
  if ((await unloggedTables(client, set, tables)).length === 0) return false;
  const empty = tables.map((table) => `NOT EXISTS (SELECT 1 FROM ${set.table(table.name)})`).join(' AND ');
  const { rows } = await client.query<{ emptied: boolean }>(
    `SELECT (${empty}) AND EXISTS (SELECT 1 FROM projection_checkpoints WHERE table_set = $1 AND position > 0)
       AS emptied`,
    [set.id],
  );
  if (!rows[0]?.emptied) return false;
  await client.query(
    `UPDATE projection_checkpoints SET position = 0, events_applied = 0, last_event_at = NULL, updated_at = now()
      WHERE table_set = $1`,
    [set.id],
  );
  await client.query(
    `UPDATE projection_shards SET position = 0, events_applied = 0, last_event_at = NULL, caught_up = false,
            updated_at = now()
      WHERE table_set = $1`,
    [set.id],
  );
  return true;
};

/** Sets the set's tables LOGGED (idempotent); run under the projection's lock once the set has caught up. */
export const makeLogged = async (
  client: PoolClient,
  set: TableSet,
  tables: readonly ProjectionTable[],
): Promise<string[]> => {
  const unlogged = await unloggedTables(client, set, tables);
  for (const name of unlogged) await client.query(`ALTER TABLE ${set.table(name)} SET LOGGED`);
  return unlogged;
};
