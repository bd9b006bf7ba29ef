import type { Pool } from '#libs/database';
import { inTransaction } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { validateProjection, type Projection } from '../projection.js';
import { catchUp } from './catch-up.js';
import { loadCheckpoint, type CheckpointRow } from './checkpoints.js';
import { loadSkips } from './skips.js';
import { asOfTableSet, createTablesSql, dropTablesSql, makeReadOnlySql } from './table-set.js';

export interface AsOfRequest {
  /** A past instant (events recorded up to and including it) or a position in `$all` (inclusive). */
  until: Date | bigint;
  /** Names the table set: schema `asof_<name>`. */
  name: string;
}

export class AsOfBuildFailed extends Error {
  constructor(readonly build: CheckpointRow) {
    super(`As-of build ${build.table_set} stopped at position ${build.failed_position}: ${build.error}`);
    this.name = 'AsOfBuildFailed';
  }
}

export class AsOfBuildConflict extends Error {
  override name = 'AsOfBuildConflict';
}

/**
 * Builds a projection up to a past instant or position into its own schema, then makes it read-only. The live table
 * set is not touched. Calling it again with the same request resumes an interrupted build or returns the finished one.
 */
export const buildAsOf = async (
  pool: Pool,
  store: EventStore,
  projection: Projection,
  request: AsOfRequest,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<CheckpointRow> => {
  validateProjection(projection);
  const set = asOfTableSet(request.name);
  await store.awaitSettled(); // everything recorded before the request lies below the head
  const head = (await store.headPosition()) ?? 0n;
  const instant = request.until instanceof Date ? request.until : undefined;
  if (instant && instant.getTime() > Date.now())
    throw new AsOfBuildConflict('An as-of build cannot look into the future');
  // Everything recorded up to a past instant lies below today's head, so the head bounds an instant build.
  const bound = typeof request.until === 'bigint' ? request.until : head;
  await inTransaction(pool, async (client) => {
    await client.query(createTablesSql(set, projection.tables));
    await client.query(
      `INSERT INTO projection_checkpoints (table_set, projection, version, kind, tables, status, until_position, until_time)
       VALUES ($1, $2, $3, 'asof', $4, 'rebuilding', $5, $6) ON CONFLICT (table_set) DO NOTHING`,
      [
        set.id,
        projection.name,
        projection.version,
        projection.tables.map((t) => t.name),
        String(bound),
        instant ?? null,
      ],
    );
  });
  let build = await loadCheckpoint(pool, set.id);
  if (!build) throw new Error(`No checkpoint for ${set.id}`);
  const sameRequest =
    build.projection === projection.name &&
    build.version === projection.version &&
    (instant ? build.until_time?.getTime() === instant.getTime() : build.until_position === String(request.until));
  if (!sameRequest) throw new AsOfBuildConflict(`As-of build "${request.name}" already exists for another request`);
  if (build.status === 'built') return build;
  if (build.status === 'failed') {
    // Asking again is the retry: skips recorded since are honoured below.
    await pool.query(
      `UPDATE projection_checkpoints SET status = 'rebuilding', error = NULL, failed_position = NULL,
              failed_event_id = NULL, failed_tenant = NULL, updated_at = now() WHERE table_set = $1`,
      [set.id],
    );
  }
  const untilPosition = BigInt(build.until_position ?? '0');
  const untilTime = build.until_time;
  const skips = await loadSkips(store, projection.name, projection.version);
  const result = await catchUp(
    store,
    {
      pool,
      projection,
      set,
      skips,
      include: untilTime ? (event) => event.recordedAt.getTime() <= untilTime.getTime() : undefined,
    },
    { batchSize: options.batchSize ?? 2000, untilPosition, signal: options.signal },
  );
  build = await loadCheckpoint(pool, set.id);
  if (!build) throw new Error(`No checkpoint for ${set.id}`);
  if (result === 'failed') throw new AsOfBuildFailed(build);
  if (result === 'stopped') return build;
  await inTransaction(pool, async (client) => {
    await client.query(makeReadOnlySql(set, projection.tables));
    await client.query("UPDATE projection_checkpoints SET status = 'built', updated_at = now() WHERE table_set = $1", [
      set.id,
    ]);
  });
  return (await loadCheckpoint(pool, set.id)) ?? build;
};

export const listAsOfBuilds = async (pool: Pool): Promise<CheckpointRow[]> => {
  const { rows } = await pool.query<CheckpointRow>(
    "SELECT * FROM projection_checkpoints WHERE kind = 'asof' ORDER BY created_at",
  );
  return rows;
};

export const dropAsOfBuild = async (pool: Pool, name: string): Promise<boolean> => {
  const set = asOfTableSet(name);
  return inTransaction(pool, async (client) => {
    await client.query(dropTablesSql(set, []));
    const { rowCount } = await client.query('DELETE FROM projection_checkpoints WHERE table_set = $1', [set.id]);
    return (rowCount ?? 0) > 0;
  });
};
