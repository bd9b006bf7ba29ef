import { inTransaction, type Pool, type PoolClient } from '#libs/database';
import type { ProjectionTable } from '../projection.js';
import { lockProjection, shareProjectionLock } from './checkpoints.js';
import { createIndexesSql, type TableSet } from './table-set.js';

/*
 * A live table set is built UNLOGGED: a rebuild then writes no WAL for its rows, a large part of PostgreSQL's cost of
 * a batch. Once the set has caught up, before it may switch or get its extra indexes, its tables are set LOGGED (one
 * rewrite, written to the WAL once, so replicas and backups have it from then on). The price is the crash rule: a
 * crash of the database server empties unlogged tables, so a set whose UNLOGGED tables are all empty while its
 * checkpoint is past zero starts again from the beginning, emptied whole. (A set that truly had no rows in them starts
 * again too, which costs only time.)
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
 * and moved its checkpoint (and every shard's) back to zero. The tables are made LOGGED one by one (finishTables), so a
 * crash in the middle of that leaves the logged ones holding their rows beside the emptied ones: the set is emptied
 * whole before it starts again, or their counters would be counted twice.
 */
export const restartIfEmptiedByCrash = async (
  client: PoolClient,
  set: TableSet,
  tables: readonly ProjectionTable[],
): Promise<boolean> => {
  const unlogged = await unloggedTables(client, set, tables);
  if (unlogged.length === 0) return false;
  const empty = unlogged.map((name) => `NOT EXISTS (SELECT 1 FROM ${set.table(name)})`).join(' AND ');
  const { rows } = await client.query<{ emptied: boolean }>(
    `SELECT (${empty}) AND EXISTS (SELECT 1 FROM projection_checkpoints WHERE table_set = $1 AND position > 0)
       AS emptied`,
    [set.id],
  );
  if (!rows[0]?.emptied) return false;
  if (unlogged.length < tables.length)
    await client.query(`TRUNCATE ${tables.map((t) => set.table(t.name)).join(', ')}`);
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

/** Sets the set's tables LOGGED (idempotent). */
export const makeLogged = async (
  client: PoolClient,
  set: TableSet,
  tables: readonly ProjectionTable[],
): Promise<string[]> => {
  const unlogged = await unloggedTables(client, set, tables);
  for (const name of unlogged) await client.query(`ALTER TABLE ${set.table(name)} SET LOGGED`);
  return unlogged;
};

/** Tables finished at once: PostgreSQL rewrites a table on one core, and the largest often takes as long as the rest. */
const FINISH_LANES = 2;

/**
 * Finishes a set that has caught up (idempotent): each table set LOGGED, then given its extra indexes, in a
 * transaction of its own, two tables at a time. In one transaction the whole finish ran on one of the database's cores
 * while this process waited, a seventh of a rebuild. Empty tables go first: a process that dies midway then leaves
 * only tables with rows UNLOGGED, which the crash rule does not take for emptied. Returns the tables it made LOGGED.
 */
export const finishTables = async (
  pool: Pool,
  projection: string,
  set: TableSet,
  tables: readonly ProjectionTable[],
): Promise<string[]> => {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT t.name FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(name, qualified, n)
       LEFT JOIN pg_class c ON c.oid = to_regclass(t.qualified)
      ORDER BY pg_relation_size(c.oid) > 0, pg_total_relation_size(c.oid) DESC, t.n`,
    [tables.map((table) => table.name), tables.map((table) => set.table(table.name))],
  );
  const queue = rows.flatMap((row) => tables.filter((table) => table.name === row.name));
  const madeLogged: string[] = [];
  const lane = async () => {
    for (let table = queue.shift(); table; table = queue.shift()) {
      const finishing = table;
      await inTransaction(pool, async (client) => {
        // Beside each other, never beside a set-up or a switch; one process at a time per table (shards finish too).
        await shareProjectionLock(client, projection);
        await lockProjection(client, `${projection}/${finishing.name}`);
        madeLogged.push(...(await makeLogged(client, set, [finishing])));
        const indexes = createIndexesSql(set, [finishing]);
        if (indexes) await client.query(indexes);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(FINISH_LANES, queue.length) }, lane));
  return madeLogged;
};
