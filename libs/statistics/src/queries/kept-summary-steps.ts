import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { inTransaction, type Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';
import { eventTypesOf } from '#libs/projections';
import { statisticsProjection } from '../projection/statistics.projection.js';
import type { StatisticsScope, Tables } from './scope.js';
import type { Summary } from './statistics.queries.js';
import { stepOn, summarySteps, type SummaryStep } from './summary-steps.js';

const LIVE: Tables = (name) => `"public"."${name}"`;
/** A tenant's school year is counted again at most this often per process while the read model moves. */
const RECOUNT_AFTER_MS = 1000;

interface Kept {
  tableSet: string;
  position: bigint;
  steps: SummaryStep[];
}

/**
 * The whole-tenant summary of any day, from steps counted once per position of the live read model and kept in
 * `statistics_summary_steps` (shared by every process) and in memory. An answer comes from the steps only when they
 * were counted at or after the position the answer names, so it is never older than it says; otherwise the caller
 * counts the day itself and the steps are counted again in the background (once at a time, at most once a second).
 */
@Injectable()
export class KeptSummarySteps implements OnModuleDestroy {
  private readonly kept = new Map<string, Kept>();
  private readonly counting = new Map<string, Promise<void>>();
  private readonly countedAt = new Map<string, number>();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The summary of the scope's day at `position` or later, when the steps hold it; undefined when they do not. */
  async summaryOn(
    tenant: string,
    scope: StatisticsScope,
    { tableSet, position }: { tableSet: string; position: bigint },
  ): Promise<Summary | undefined> {
    if (!wholeTenant(scope)) return undefined;
    const key = `${tenant}|${scope.schoolYear}`;
    const usable = (candidate: Kept | undefined): candidate is Kept => candidate?.tableSet === tableSet;
    let kept = this.kept.get(key);
    if (!usable(kept) || kept.position < position) {
      kept = await this.load(tenant, scope.schoolYear);
      if (kept) this.kept.set(key, kept);
    }
    if (!usable(kept)) kept = undefined;
    if (kept && kept.position < position && (await this.unchanged(tenant, scope.schoolYear, kept.position, position))) {
      // Only other tenants' events came since: the steps still hold this tenant's figures at the newer position.
      kept = { ...kept, position };
      this.kept.set(key, kept);
    }
    if (!kept || kept.position < position) {
      this.recount(key, tenant, scope.schoolYear);
      return undefined;
    }
    const figures = stepOn(kept.steps, scope.date);
    // As the per-day summary rounds it: one decimal of a percentage.
    const share =
      figures.students === 0 ? null : Math.round(((100 * figures.studentsWithWaiver) / figures.students) * 10) / 10;
    return { schoolYear: scope.schoolYear, date: scope.date, ...figures, waiverSharePercent: share };
  }

  /** Counts a tenant's school year at the live model's position now, in one snapshot, and keeps it. */
  async count(tenant: string, schoolYear: string): Promise<bigint | undefined> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const { rows } = await client.query<{ table_set: string; position: string }>(
        `SELECT l.table_set, c.position::text FROM projection_live l
           JOIN projection_checkpoints c ON c.table_set = l.table_set
          WHERE l.projection = $1`,
        [statisticsProjection.name],
      );
      const live = rows[0];
      if (!live) return undefined;
      const { table_set: tableSet, position } = live;
      const steps = await summarySteps(client, LIVE, tenant, schoolYear);
      await client.query(
        `INSERT INTO statistics_summary_steps AS s (tenant, school_year, table_set, position, steps)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant, school_year) DO UPDATE
           SET table_set = EXCLUDED.table_set, position = EXCLUDED.position, steps = EXCLUDED.steps, counted_at = now()
           WHERE s.table_set <> EXCLUDED.table_set OR s.position < EXCLUDED.position`,
        [tenant, schoolYear, tableSet, position, JSON.stringify(steps)],
      );
      return BigInt(position);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.counting.values());
  }

  /**
   * Whether no event of the tenant that the statistics read model applies lies after `from` up to `to` (an index range
   * over the tenant's events). Every event up to `to` is applied, and a tenant's rows change only with its own events.
   */
  private async unchanged(tenant: string, schoolYear: string, from: bigint, to: bigint): Promise<boolean> {
    const types = eventTypesOf(statisticsProjection);
    if (!types) return false;
    const { rows } = await this.pool.query<{ changed: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM es_events WHERE split_part(stream_name, '.', 1) = $1 AND position > $2
                        AND position <= $3 AND event_type = ANY ($4)) AS changed`,
      [tenant, String(from), String(to), types],
    );
    if (rows[0]?.changed !== false) return false;
    await this.pool.query(
      `UPDATE statistics_summary_steps SET position = $3 WHERE tenant = $1 AND school_year = $2 AND position = $4`,
      [tenant, schoolYear, String(to), String(from)],
    );
    return true;
  }

  private async load(tenant: string, schoolYear: string): Promise<Kept | undefined> {
    const { rows } = await this.pool.query<{ table_set: string; position: string; steps: SummaryStep[] }>(
      'SELECT table_set, position::text, steps FROM statistics_summary_steps WHERE tenant = $1 AND school_year = $2',
      [tenant, schoolYear],
    );
    const row = rows[0];
    return row ? { tableSet: row.table_set, position: BigInt(row.position), steps: row.steps } : undefined;
  }

  private recount(key: string, tenant: string, schoolYear: string): void {
    if (this.counting.has(key) || Date.now() - (this.countedAt.get(key) ?? 0) < RECOUNT_AFTER_MS) return;
    this.countedAt.set(key, Date.now());
    const counting = this.count(tenant, schoolYear)
      // Another process counting the same year at once may make this snapshot's write fail: its steps are as good.
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.counting.delete(key));
    this.counting.set(key, counting);
  }
}

const wholeTenant = (scope: StatisticsScope): boolean =>
  !scope.subjectGroup && !scope.programme && !scope.location && !scope.district && !scope.school;
