import { DomainError } from '#libs/decider';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import type { CommandContext } from '#libs/platform';
import type { Projection } from '../projection.js';
import {
  asOfBuildName,
  asOfBuildState,
  listAsOfBuilds,
  dropAsOfBuild,
  loadAsOfBuild,
  type AsOfBuildRow,
  type AsOfState,
} from '../runner/as-of-build.js';
import { asOfTableSet } from '../runner/table-set.js';
import type { CheckpointRow } from '../runner/checkpoints.js';
import { measureLag, type Lag } from '../runner/lag.js';
import { recordSkip } from '../runner/skips.js';

export interface ProjectionStatus {
  projection: string;
  version: number;
  tableSet: string;
  /** Whether the stable views point at this version (false while a new version rebuilds). */
  live: boolean;
  status: CheckpointRow['status'];
  position: string;
  lastEventAt: string | null;
  eventsApplied: number;
  /** null when the store cannot tell (not the PostgreSQL store) or the projection is not registered here. */
  lag: Lag | null;
  error: string | null;
  failedPosition: string | null;
  failedEventId: string | null;
  updatedAt: string;
}

export interface AsOfBuildStatus {
  name: string;
  projection: string;
  version: number;
  /** building, ready or failed; a failed build says why in `error`, and asking for it again resumes it. */
  state: AsOfState;
  /** The checkpoint's own status (rebuilding, built, failed). */
  status: CheckpointRow['status'];
  untilPosition: string | null;
  untilTime: string | null;
  position: string;
  eventsApplied: number;
  schema: string;
  error: string | null;
  failedPosition: string | null;
  createdAt: string;
}

export class ProjectionNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(name: string) {
    super(`There is no projection named ${name}`);
  }
}

export class AsOfBuildNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(name: string) {
    super(`There is no as-of build named ${name}`);
  }
}

export class AsOfBuildIsRunning extends DomainError {
  readonly kind = 'conflict';
  constructor(name: string) {
    super(`As-of build ${name} is being built; drop it once it is ready or failed`);
  }
}

/** Who asks for the status: another tenant's failed event is not shown to a municipality's roles. */
export interface StatusViewer {
  tenant: string;
  operator?: boolean;
}

export class ProjectionIsNotStopped extends DomainError {
  readonly kind = 'conflict';
  constructor(name: string) {
    super(`Projection ${name} is not stopped at a failed event; there is nothing to retry or skip`);
  }
}

/** A municipality's admin may not restart a projection at another municipality's event: that is theirs, or operators'. */
export class RetryBelongsToAnotherTenant extends DomainError {
  readonly kind = 'conflict';
  constructor(name: string) {
    super(
      `Projection ${name} stopped at an event of another tenant; an admin of that tenant or an operator retries it`,
    );
  }
}

export class SkipBelongsToAnotherTenant extends DomainError {
  readonly kind = 'conflict';
  constructor(name: string) {
    super(`Projection ${name} stopped at an event of another tenant; an admin of that tenant must skip it`);
  }
}

/** Status, retry and skip work on the stored checkpoints, so any process can serve them, not only the projector. */
export class ProjectionAdmin {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
  ) {}

  /**
   * Every live projection (they serve every tenant). A stop at another tenant's event is shown without that event's
   * id and error to a municipality's roles (they may hold that tenant's data); an operator, or the CLI, sees all.
   */
  async status(viewer?: StatusViewer): Promise<ProjectionStatus[]> {
    const { rows } = await this.pool.query<CheckpointRow & { live: boolean }>(
      `SELECT c.*, (l.table_set IS NOT NULL) AS live FROM projection_checkpoints c
         LEFT JOIN projection_live l ON l.table_set = c.table_set
        WHERE c.kind = 'live' AND c.status <> 'retired' ORDER BY c.projection, c.version`,
    );
    return Promise.all(
      rows.map(async (row) => {
        const types = this.projections.find((p) => p.name === row.projection)?.eventTypes;
        const lag = types ? await measureLag(this.pool, BigInt(row.position), types) : undefined;
        const hidden =
          viewer !== undefined &&
          viewer.operator !== true &&
          row.failed_tenant !== null &&
          row.failed_tenant !== viewer.tenant;
        return {
          projection: row.projection,
          version: row.version,
          tableSet: row.table_set,
          live: row.live,
          status: row.status,
          position: row.position,
          lastEventAt: row.last_event_at?.toISOString() ?? null,
          eventsApplied: Number(row.events_applied),
          lag: lag ?? null,
          error: hidden ? 'Stopped at an event of another tenant' : row.error,
          failedPosition: row.failed_position,
          failedEventId: hidden ? null : row.failed_event_id,
          updatedAt: row.updated_at.toISOString(),
        };
      }),
    );
  }

  /** The tenant's as-of builds; no other tenant's is listed. */
  async asOfBuilds(tenant: string): Promise<AsOfBuildStatus[]> {
    return (await listAsOfBuilds(this.pool, tenant)).map((row) => asOfBuildStatus(tenant, row));
  }

  /** One as-of build of the tenant, with its state; another tenant's build of that name is not found. */
  async asOfBuild(tenant: string, name: string): Promise<AsOfBuildStatus> {
    const row = /^[a-z][a-z0-9_]{0,39}$/.test(name) ? await loadAsOfBuild(this.pool, tenant, name) : undefined;
    if (!row) throw new AsOfBuildNotFound(name);
    return asOfBuildStatus(tenant, row);
  }

  /**
   * Drops a ready or failed as-of build of the tenant, so the next request builds it afresh: after a school's past
   * was imported (ADR 0014), a build of a past day no longer shows all that was known then. A build in progress stays.
   */
  async dropAsOfBuild(tenant: string, name: string): Promise<void> {
    const build = await this.asOfBuild(tenant, name);
    if (build.state === 'building') throw new AsOfBuildIsRunning(name);
    await dropAsOfBuild(this.pool, tenant, name);
  }

  /** Runs the failed event through the handler again (after a fix was deployed, or a transient cause went away). */
  async retry(name: string, viewer?: StatusViewer): Promise<ProjectionStatus> {
    const failed = await this.failedSet(name);
    if (viewer && !viewer.operator && failed.failed_tenant && failed.failed_tenant !== viewer.tenant) {
      throw new RetryBelongsToAnotherTenant(name);
    }
    await this.resume(failed);
    return this.statusOf(failed.table_set, viewer);
  }

  /** Leaves the failed event out of this projection version for good; the decision is recorded as an event first. */
  async skip(name: string, context: CommandContext): Promise<ProjectionStatus> {
    const failed = await this.failedSet(name);
    if (failed.failed_tenant !== context.principal.tenant) throw new SkipBelongsToAnotherTenant(name);
    if (!failed.failed_event_id || !failed.failed_position) throw new ProjectionIsNotStopped(name);
    await recordSkip(this.store, context, {
      projection: failed.projection,
      version: failed.version,
      skippedEventId: failed.failed_event_id,
      skippedPosition: failed.failed_position,
      error: failed.error,
    });
    await this.resume(failed);
    return this.statusOf(failed.table_set, { tenant: context.principal.tenant });
  }

  private async failedSet(name: string): Promise<CheckpointRow> {
    const { rows } = await this.pool.query<CheckpointRow>(
      `SELECT * FROM projection_checkpoints WHERE projection = $1 AND kind = 'live' AND status <> 'retired'
        ORDER BY (status = 'failed') DESC, version DESC`,
      [name],
    );
    const [row] = rows;
    if (!row) throw new ProjectionNotFound(name);
    if (row.status !== 'failed') throw new ProjectionIsNotStopped(name);
    return row;
  }

  private async resume(failed: CheckpointRow): Promise<void> {
    await this.pool.query(
      `UPDATE projection_checkpoints c
          SET status = CASE WHEN EXISTS (SELECT 1 FROM projection_live l WHERE l.table_set = c.table_set)
                            THEN 'running' ELSE 'rebuilding' END,
              error = NULL, failed_position = NULL, failed_event_id = NULL, failed_tenant = NULL, updated_at = now()
        WHERE table_set = $1 AND status = 'failed'`,
      [failed.table_set],
    );
  }

  private async statusOf(tableSet: string, viewer?: StatusViewer): Promise<ProjectionStatus> {
    const status = (await this.status(viewer)).find((s) => s.tableSet === tableSet);
    if (!status) throw new Error(`No status for ${tableSet}`);
    return status;
  }
}

export const asOfBuildStatus = (tenant: string, row: AsOfBuildRow): AsOfBuildStatus => {
  const name = asOfBuildName(row);
  const { state, error } = asOfBuildState(row);
  return {
    name,
    projection: row.projection,
    version: row.version,
    state,
    status: row.status,
    untilPosition: row.until_position,
    untilTime: row.until_time?.toISOString() ?? null,
    position: row.position,
    eventsApplied: Number(row.events_applied),
    schema: asOfTableSet(tenant, name).schema,
    error,
    failedPosition: row.failed_position,
    createdAt: row.created_at.toISOString(),
  };
};
