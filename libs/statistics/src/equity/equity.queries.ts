import type { Pool } from '#libs/database';
import { SqlParams } from '#libs/query';
import { ageBandSql, personSql, type Tables } from '../queries/scope.js';
import { waivedSql } from '../queries/statistics.queries.js';

/**
 * Likeverd ("kulturskole for alle"): does the queue serve every district, age and household alike? Counted from the
 * statistics read model's rows (applications with their day in and day out, places, payers and waivers), never from
 * the event store, for one school year on one day.
 */

/** Cells of fewer children than this are shown as {@link UNDER_MIN}, as Statistics Norway suppresses small cells. */
export const SUPPRESS_BELOW = 5;
export const UNDER_MIN = 'under 5';
export type Shown = number | typeof UNDER_MIN;

export const EQUITY_DIMENSIONS = ['all', 'district', 'ageBand', 'waiver'] as const;
export type EquityDimension = (typeof EQUITY_DIMENSIONS)[number];

export interface EquityRow {
  dimension: EquityDimension;
  /** 'all'; a district; 'under' | 'in' | 'over' | 'unknown'; 'with-waiver' | 'without-waiver'. */
  group: string;
  waitingChildren: Shown;
  medianWaitDays: number | null;
  meanWaitDays: number | null;
  applications: Shown;
  admitted: Shown;
  admissionRatePercent: number | null;
}

/** The figures before suppression: only this module sees them. */
interface RawRow {
  dimension: EquityDimension;
  group: string;
  waiting: number;
  median: number | null;
  mean: number | null;
  applications: number;
  admitted: number;
}

const AGE_ORDER = ['under', 'in', 'over', 'unknown'];

/**
 * One query, every group at once. Waiting: applications of the school year's offerings made by the day and not left
 * by its end (the same rule as every other statistics figure); a child waiting in two offerings counts once, with the
 * wait of its oldest waiting application (days from its application day to the day). Admission: applications of the
 * school year made by the day; admitted when its offer was accepted by the day and a place in that offering followed
 * (an admission refused afterwards is not a place). District and age are the application's; the waiver group is the
 * child's: its payer holds a fee waiver for the school year on the day.
 */
const rawRows = async (
  db: Pool,
  tables: Tables,
  tenant: string,
  schoolYear: string,
  date: string,
): Promise<RawRow[]> => {
  const params = new SqlParams();
  const t = params.add(tenant, 'text');
  const year = params.add(schoolYear, 'text');
  const day = params.add(date, 'date');
  const firstYear = String(Number(schoolYear.slice(0, 4)));
  const waived = (child: string) =>
    `CASE WHEN ${child} IN (SELECT child_id FROM waived) THEN 'with-waiver' ELSE 'without-waiver' END`;
  const groups = (alias: string) => `LATERAL (VALUES ('all', 'all'), ('district', ${alias}.district),
      ('ageBand', ${ageBandSql(`${alias}.birth_year`, firstYear)}), ('waiver', ${waived(`${alias}.child_id`)})) g(dimension, grp)`;
  const { rows } = await db.query<RawRow>(
    `WITH ${waivedSql(tables, t, year, day)},
      apps AS (
        SELECT ${personSql(tables, 'a', 'child_id')} AS child_id, a.application_id, a.applied_on, a.birth_year,
               coalesce(a.district, 'unknown') AS district,
               (a.left_on IS NULL OR a.left_on > ${day}) AS waiting,
               (a.left_reason = 'offer accepted' AND a.left_on <= ${day}
                 AND EXISTS (SELECT 1 FROM ${tables('stat_places')} p
                              WHERE p.tenant = a.tenant AND p.offering_id = a.offering_id
                                AND ${personSql(tables, 'p', 'student_id')} = ${personSql(tables, 'a', 'child_id')})) AS admitted
          FROM ${tables('stat_applications')} a
          JOIN ${tables('stat_offerings')} o ON o.tenant = a.tenant AND o.offering_id = a.offering_id
         WHERE a.tenant = ${t} AND o.school_year = ${year} AND a.applied_on <= ${day}
      ),
      children AS (
        SELECT child_id, max(birth_year) AS birth_year,
               (array_agg(district ORDER BY applied_on DESC, application_id COLLATE "C" DESC))[1] AS district,
               (${day} - min(applied_on))::int AS days
          FROM apps WHERE waiting GROUP BY child_id
      ),
      waits AS (
        SELECT g.dimension, g.grp, count(*)::int AS waiting,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY c.days)::float8 AS median, avg(c.days)::float8 AS mean
          FROM children c, ${groups('c')} GROUP BY 1, 2
      ),
      admissions AS (
        SELECT g.dimension, g.grp, count(*)::int AS applications, count(*) FILTER (WHERE a.admitted)::int AS admitted
          FROM apps a, ${groups('a')} GROUP BY 1, 2
      )
      SELECT coalesce(w.dimension, a.dimension) AS "dimension", coalesce(w.grp, a.grp) AS "group",
             coalesce(w.waiting, 0) AS "waiting", w.median AS "median", w.mean AS "mean",
             coalesce(a.applications, 0) AS "applications", coalesce(a.admitted, 0) AS "admitted"
        FROM waits w FULL JOIN admissions a ON a.dimension = w.dimension AND a.grp = w.grp`,
    params.values,
  );
  return rows;
};

const round1 = (value: number) => Math.round(value * 10) / 10;
const small = (n: number) => n > 0 && n < SUPPRESS_BELOW;
const shown = (n: number): Shown => (small(n) ? UNDER_MIN : n);

/**
 * Small cells hidden: a count of 1–4 children reads "under 5"; a median or mean of fewer than 5 waiting children is
 * not given, nor an admission rate that would give away a small count (fewer than 5 applications, or 1–4 admitted
 * or not admitted). Zero is shown: it names nobody.
 */
export const suppressed = (raw: RawRow): EquityRow => {
  const notAdmitted = raw.applications - raw.admitted;
  const rateHidden = raw.applications < SUPPRESS_BELOW || small(raw.admitted) || small(notAdmitted);
  const waitHidden = raw.waiting < SUPPRESS_BELOW;
  return {
    dimension: raw.dimension,
    group: raw.group,
    waitingChildren: shown(raw.waiting),
    medianWaitDays: waitHidden || raw.median === null ? null : round1(raw.median),
    meanWaitDays: waitHidden || raw.mean === null ? null : round1(raw.mean),
    applications: shown(raw.applications),
    admitted: shown(raw.admitted),
    admissionRatePercent: rateHidden ? null : round1((100 * raw.admitted) / raw.applications),
  };
};

export interface EquityFigures {
  schoolYear: string;
  date: string;
  totals: EquityRow;
  byDistrict: EquityRow[];
  byAgeBand: EquityRow[];
  byWaiver: EquityRow[];
}

const empty = (dimension: EquityDimension, group: string): RawRow => ({
  dimension,
  group,
  waiting: 0,
  median: null,
  mean: null,
  applications: 0,
  admitted: 0,
});

/**
 * The school year's figures on the day, suppressed. Every district of the tenant's register and both waiver groups
 * have a row, with zeros where nobody is counted.
 */
export const equityFigures = async (
  db: Pool,
  tables: Tables,
  tenant: string,
  scope: { schoolYear: string; date: string },
  districts: readonly string[],
): Promise<EquityFigures> => {
  const raw = await rawRows(db, tables, tenant, scope.schoolYear, scope.date);
  const of = (dimension: EquityDimension, always: readonly string[] = []) => {
    const found = raw.filter((row) => row.dimension === dimension);
    const missing = always.filter((group) => !found.some((row) => row.group === group));
    return [...found, ...missing.map((group) => empty(dimension, group))];
  };
  const byDistrict = of('district', districts).sort(
    (a, b) => Number(a.group === 'unknown') - Number(b.group === 'unknown') || a.group.localeCompare(b.group, 'nb'),
  );
  const byAgeBand = of('ageBand').sort((a, b) => AGE_ORDER.indexOf(a.group) - AGE_ORDER.indexOf(b.group));
  const byWaiver = of('waiver', ['with-waiver', 'without-waiver']).sort((a, b) => a.group.localeCompare(b.group));
  return {
    schoolYear: scope.schoolYear,
    date: scope.date,
    totals: suppressed(of('all', ['all'])[0] ?? empty('all', 'all')),
    byDistrict: byDistrict.map(suppressed),
    byAgeBand: byAgeBand.map(suppressed),
    byWaiver: byWaiver.map(suppressed),
  };
};

/** The school years the read model has offerings of, oldest first, none after `last`. */
export const schoolYearsCounted = async (db: Pool, tables: Tables, tenant: string, last: string): Promise<string[]> => {
  const { rows } = await db.query<{ school_year: string }>(
    `SELECT DISTINCT school_year FROM ${tables('stat_offerings')}
      WHERE tenant = $1 AND school_year <= $2 ORDER BY school_year`,
    [tenant, last],
  );
  return rows.map((row) => row.school_year);
};
