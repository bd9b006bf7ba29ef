/**
 * What the server did for a stretch of appends, for bench:country's two ends: WAL written, whole pages in it, blocks
 * read from outside shared_buffers and buffers written out by kind of server process, and the store's own tables and
 * indexes' block reads (which index makes an append wait on the disk).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '#libs/database';

type Counts = Record<string, number>;

export interface StoreIo {
  walBytes: number;
  fullPages: number;
  /** Autovacuum and autoanalyze runs on es_events. */
  maintenance: number;
  readsByProcess: Counts;
  writesByProcess: Counts;
  readsByRelation: Counts;
}

const counts = <R>(rows: R[], key: (row: R) => string, value: (row: R) => string): Counts =>
  Object.fromEntries(rows.map((row) => [key(row), Number(value(row))]));

export const ioSnapshot = async (pool: Pool): Promise<StoreIo> => {
  const { rows: wal } = await pool.query<{ lsn: string; fpi: string; maintenance: string }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS lsn, wal_fpi::text AS fpi,
            (SELECT autovacuum_count + autoanalyze_count FROM pg_stat_user_tables WHERE relname = 'es_events')::text
              AS maintenance
       FROM pg_stat_wal`,
  );
  const { rows: io } = await pool.query<{ process: string; reads: string; writes: string }>(
    `SELECT backend_type AS process, coalesce(sum(reads), 0)::text AS reads, coalesce(sum(writes), 0)::text AS writes
       FROM pg_stat_io GROUP BY backend_type`,
  );
  const { rows: relations } = await pool.query<{ name: string; reads: string }>(
    `SELECT indexrelname AS name, idx_blks_read::text AS reads FROM pg_statio_user_indexes
      WHERE relname IN ('es_events', 'es_streams')
     UNION ALL
     SELECT relname, heap_blks_read::text FROM pg_statio_user_tables WHERE relname IN ('es_events', 'es_streams')`,
  );
  return {
    walBytes: Number(wal[0]?.lsn ?? 0),
    fullPages: Number(wal[0]?.fpi ?? 0),
    maintenance: Number(wal[0]?.maintenance ?? 0),
    readsByProcess: counts(
      io,
      (r) => r.process,
      (r) => r.reads,
    ),
    writesByProcess: counts(
      io,
      (r) => r.process,
      (r) => r.writes,
    ),
    readsByRelation: counts(
      relations,
      (r) => r.name,
      (r) => r.reads,
    ),
  };
};

/**
 * A backend reports its figures at the end of a transaction at most once a second: after a second, one statement on
 * every connection of the pool makes the appenders report what they did.
 */
export const reported = async (pool: Pool): Promise<void> => {
  await sleep(1_100);
  const clients = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
  try {
    await Promise.all(clients.map((client) => client.query('SELECT 1')));
  } finally {
    for (const client of clients) client.release();
  }
};

const minus = (after: Counts, before: Counts): Counts =>
  Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));

export const ioBetween = (before: StoreIo, after: StoreIo): StoreIo => ({
  walBytes: after.walBytes - before.walBytes,
  fullPages: after.fullPages - before.fullPages,
  maintenance: after.maintenance - before.maintenance,
  readsByProcess: minus(after.readsByProcess, before.readsByProcess),
  writesByProcess: minus(after.writesByProcess, before.writesByProcess),
  readsByRelation: minus(after.readsByRelation, before.readsByRelation),
});

export const printIo = (label: string, io: StoreIo, events: number) => {
  const each = (n: number) => (n / events).toFixed(3);
  const work = Object.entries(io.readsByProcess)
    .map(([name, reads]) => [name, reads, io.writesByProcess[name] ?? 0] as const)
    .filter(([, reads, writes]) => reads + writes > 0)
    .map(([name, reads, writes]) => `${name} ${each(reads)} read, ${each(writes)} written`)
    .join('; ');
  const relations = Object.entries(io.readsByRelation)
    .filter(([, n]) => n / events >= 0.001)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${each(n)}`)
    .join(', ');
  console.log(
    `  ${label.padEnd(6)} per event: WAL ${(io.walBytes / events).toFixed(0)} bytes, ${each(io.fullPages)} whole pages; ` +
      `blocks ${work || 'none'}; ${io.maintenance} autovacuum/analyze runs on es_events`,
  );
  console.log(`  ${''.padEnd(6)} blocks read by relation per event: ${relations || 'none'}`);
};
