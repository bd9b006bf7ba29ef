import { ConflictException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { Pool, PoolClient } from '#libs/database';
import { asOfBuildState, asOfTableSet, loadAsOfBuild, type CheckpointRow } from '#libs/projections';

/** How fresh an answer is: every event up to `position` in `$all` is in it, the last one recorded at `lastEventAt`. */
export interface Freshness {
  projection: string;
  version: number;
  /** `statistics@v1` for the live read model, `asof:<tenant>:<name>` for an as-of build. */
  tableSet: string;
  status: CheckpointRow['status'];
  position: string;
  lastEventAt: string | null;
  /** Set for an as-of build: the instant or position it was built up to. */
  asOf: { name: string; untilTime: string | null; untilPosition: string | null } | null;
}

/** Where a query reads: the live views, or the read-only schema of an as-of build. */
export interface ReadSource {
  freshness: Freshness;
  /** Qualifies a table name of the projection: `"public"."stat_places"` or `"asof_gsi_2025"."stat_places"`. */
  table(name: string): string;
}

const freshnessOf = (row: CheckpointRow, asOfName: string | null): Freshness => ({
  projection: row.projection,
  version: row.version,
  tableSet: row.table_set,
  status: row.status,
  position: String(row.position),
  lastEventAt: row.last_event_at?.toISOString() ?? null,
  asOf: asOfName
    ? {
        name: asOfName,
        untilTime: row.until_time?.toISOString() ?? null,
        untilPosition: row.until_position === null ? null : String(row.until_position),
      }
    : null,
});

/** The live version of a projection, read from the runner's checkpoint table. 503 until it has been set up. */
export const liveSource = async (db: Pool | PoolClient, projection: string): Promise<ReadSource> => {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT c.* FROM projection_live l JOIN projection_checkpoints c ON c.table_set = l.table_set
      WHERE l.projection = $1`,
    [projection],
  );
  const row = rows[0];
  if (!row)
    throw new ServiceUnavailableException(`The ${projection} read model has not been built yet; try again soon`);
  return { freshness: freshnessOf(row, null), table: (name) => `"public"."${name}"` };
};

/**
 * A finished as-of build of the projection, of the caller's tenant; 404 when the tenant has none by that name (another
 * tenant's build is not seen), 409 while it is being built or when it failed.
 */
export const asOfSource = async (pool: Pool, projection: string, tenant: string, name: string): Promise<ReadSource> => {
  const set = asOfTableSet(tenant, name);
  const row = await loadAsOfBuild(pool, tenant, name);
  if (!row || row.projection !== projection)
    throw new NotFoundException(`There is no as-of build "${name}" of ${projection}`);
  if (row.status !== 'built') {
    const { state, error } = asOfBuildState(row);
    throw new ConflictException(`As-of build "${name}" is ${state}${error ? `: ${error}` : ''}`);
  }
  return { freshness: freshnessOf(row, name), table: (table) => set.table(table) };
};
