import { DomainError } from '#libs/decider';
import type { Pool } from '#libs/database';
import {
  asOfBuildState,
  asOfBuildStatus,
  asOfTableSet,
  listAsOfBuilds,
  loadAsOfBuild,
  type AsOfBuildStatus,
} from '#libs/projections';

/** A built (or building, or failed) as-of set, as the projections admin shows it, with the tables it holds. */
export type ReplaySet = AsOfBuildStatus & { tables: string[] };

export class ReplaySetNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(name: string, table?: string) {
    super(table ? `Replay set ${name} has no table ${table}` : `There is no replay set named ${name}`);
  }
}

export class ReplaySetNotBuilt extends DomainError {
  readonly kind = 'conflict';
  constructor(name: string, status: string) {
    super(`Replay set ${name} is ${status}, not built yet; its rows are not a finished picture`);
  }
}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The read models rebuilt as of a past moment (`npm run replay`, POST /projections/:name/as-of), and their rows. Each
 * tenant has its own sets: another tenant's set, of the same name or not, is neither listed nor read.
 */
export class ReplaySets {
  constructor(private readonly pool: Pool) {}

  async list(tenant: string): Promise<ReplaySet[]> {
    return (await listAsOfBuilds(this.pool, tenant)).map((row) => ({
      ...asOfBuildStatus(tenant, row),
      tables: row.tables,
    }));
  }

  /** Rows of one table of a built set of the caller's tenant. */
  async rows(tenant: string, name: string, table: string, limit: number): Promise<Record<string, unknown>[]> {
    if (!NAME.test(name)) throw new ReplaySetNotFound(name);
    const build = await loadAsOfBuild(this.pool, tenant, name);
    if (!build) throw new ReplaySetNotFound(name);
    // Only a table the build declared: the name then is one of the projection's identifiers, safe to quote.
    if (!build.tables.includes(table)) throw new ReplaySetNotFound(name, table);
    if (build.status !== 'built') throw new ReplaySetNotBuilt(name, asOfBuildState(build).state);
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT * FROM ${asOfTableSet(tenant, name).table(table)} WHERE tenant = $1 ORDER BY 2 LIMIT $2`,
      [tenant, limit],
    );
    return rows;
  }
}
