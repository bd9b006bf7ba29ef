import type { QueryResultRow } from 'pg';
import type { Pool } from '#libs/database';
import { SqlParams, type ListSpec } from '#libs/query';
import {
  ageBandSql,
  idsOfPersonSql,
  personSql,
  scopeSql,
  type ScopeSql,
  type StatisticsScope,
  type Tables,
} from './scope.js';

export const DIMENSIONS = ['subjectGroup', 'programme', 'location', 'district', 'school'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

// Where each dimension comes from: the offering (subject group, programme, centre) or the student (home district, school).
const DIMENSION_COLUMN: Record<Dimension, string> = {
  subjectGroup: 'subject_group',
  programme: 'programme',
  location: 'location',
  district: 'district',
  school: 'school',
};

/** Students (each once), places and waiting children per value of one dimension: a table with paging and sorting. */
export const breakdownSpec = (
  tables: Tables,
  scope: StatisticsScope,
  dimension: Dimension,
  /** The tenant's register entries of the dimension (districts, centres): each has a row, with zeros if nobody. */
  registered: readonly string[] = [],
): ListSpec => ({
  from: (params, tenant) => {
    const { ctes } = scopeSql(tables, params, tenant, scope);
    const column = DIMENSION_COLUMN[dimension];
    return `WITH ${ctes},
      held_by AS (SELECT tenant, ${column} AS grp, count(DISTINCT student_id)::int AS students, count(*)::int AS places
                    FROM held GROUP BY tenant, ${column}),
      waiting_by AS (SELECT tenant, ${column} AS grp, count(DISTINCT child_id)::int AS waiting
                       FROM waiting GROUP BY tenant, ${column})
      SELECT coalesce(h.tenant, w.tenant) AS tenant, coalesce(h.grp, w.grp) AS "group",
             coalesce(h.students, 0) AS "students", coalesce(h.places, 0) AS "places",
             coalesce(w.waiting, 0) AS "waiting"
        FROM held_by h FULL JOIN waiting_by w ON w.tenant = h.tenant AND w.grp = h.grp
      UNION ALL
      SELECT ${tenant} AS tenant, r.grp AS "group", 0 AS "students", 0 AS "places", 0 AS "waiting"
        FROM unnest(${params.add(registered, 'text[]')}) AS r(grp)
       WHERE r.grp NOT IN (SELECT grp FROM held_by WHERE grp IS NOT NULL)
         AND r.grp NOT IN (SELECT grp FROM waiting_by WHERE grp IS NOT NULL)`;
  },
  columns: {
    group: { type: 'text', filter: true, sort: true },
    students: { type: 'integer', sort: true },
    places: { type: 'integer', sort: true },
    waiting: { type: 'integer', sort: true },
  },
  key: ['group'],
  defaultSort: [{ column: 'group', direction: 'asc' }],
});

export interface Summary {
  schoolYear: string;
  date: string;
  students: number;
  places: number;
  waitingChildren: number;
  waitingApplications: number;
  studentsFemale: number;
  studentsMale: number;
  studentsGenderUnknown: number;
  studentsUnderPrimarySchoolAge: number;
  studentsInPrimarySchoolAge: number;
  studentsOverPrimarySchoolAge: number;
  studentsWithWaiver: number;
  waiverSharePercent: number | null;
}

/** A count over one day of a school year, for the caller's tenant, in the read model's tables. */
export type ScopedQuery<Row> = (db: Pool, tables: Tables, tenant: string, scope: StatisticsScope) => Promise<Row[]>;

/** A query over the scope's CTEs (held places, waiting applications), the tenant its first parameter (`t`). */
const inScope =
  <Row extends QueryResultRow>(
    sql: (scoped: ScopeSql & { t: string; tables: Tables; params: SqlParams }) => string,
  ): ScopedQuery<Row> =>
  async (db, tables, tenant, scope) => {
    const params = new SqlParams();
    const t = params.add(tenant, 'text');
    const scoped = scopeSql(tables, params, t, scope);
    const { rows } = await db.query<Row>(sql({ ...scoped, t, tables, params }), params.values);
    return rows;
  };

/** Students who on the day have a payer holding a fee waiver for the school year: CTE `waived`. */
export const waivedSql = (tables: Tables, tenant: string, schoolYear: string, date: string) => `
    waived AS (
      SELECT DISTINCT ${personSql(tables, 'py', 'child_id')} AS child_id
        FROM ${tables('stat_payers')} py
        JOIN ${tables('stat_waivers')} w ON w.tenant = py.tenant AND w.household_id = py.payer_id
       WHERE py.tenant = ${tenant} AND w.school_year = ${schoolYear}
         AND py.from_on <= ${date} AND (py.until_on IS NULL OR py.until_on >= ${date})
         AND w.granted_on <= ${date} AND (w.ended_on IS NULL OR w.ended_on > ${date})
    )`;

const summaryRows = inScope<Omit<Summary, 'schoolYear' | 'date' | 'waiverSharePercent'>>(
  ({ t, tables, ctes, firstYear, schoolYear, date }) => `WITH ${ctes}, ${waivedSql(tables, t, schoolYear, date)},
      students AS (SELECT student_id, max(gender) AS gender, max(birth_year) AS birth_year FROM held GROUP BY student_id)
      SELECT (SELECT count(*) FROM students)::int AS "students",
             (SELECT count(*) FROM held)::int AS "places",
             (SELECT count(DISTINCT child_id) FROM waiting)::int AS "waitingChildren",
             (SELECT count(*) FROM waiting)::int AS "waitingApplications",
             count(*) FILTER (WHERE gender = 'female')::int AS "studentsFemale",
             count(*) FILTER (WHERE gender = 'male')::int AS "studentsMale",
             count(*) FILTER (WHERE gender NOT IN ('female', 'male'))::int AS "studentsGenderUnknown",
             count(*) FILTER (WHERE ${ageBandSql('birth_year', firstYear)} = 'under')::int AS "studentsUnderPrimarySchoolAge",
             count(*) FILTER (WHERE ${ageBandSql('birth_year', firstYear)} = 'in')::int AS "studentsInPrimarySchoolAge",
             count(*) FILTER (WHERE ${ageBandSql('birth_year', firstYear)} = 'over')::int AS "studentsOverPrimarySchoolAge",
             count(*) FILTER (WHERE student_id IN (SELECT child_id FROM waived))::int AS "studentsWithWaiver"
        FROM students`,
);

export const summary = async (db: Pool, tables: Tables, tenant: string, scope: StatisticsScope): Promise<Summary> => {
  const rows = await summaryRows(db, tables, tenant, scope);
  const row = rows[0];
  if (!row) throw new Error('The summary query returned no row');
  return {
    schoolYear: scope.schoolYear,
    date: scope.date,
    ...row,
    waiverSharePercent: row.students === 0 ? null : round1((100 * row.studentsWithWaiver) / row.students),
  };
};

export interface DemographicRow {
  ageBand: 'under' | 'in' | 'over' | 'unknown';
  gender: string;
  students: number;
  waitingChildren: number;
}

/** Students (each once) and waiting children by age band and gender. */
export const demographics = inScope<DemographicRow>(
  ({ ctes, firstYear }) => `WITH ${ctes},
      students AS (SELECT student_id, max(gender) AS gender, max(birth_year) AS birth_year FROM held GROUP BY student_id),
      children AS (SELECT child_id, max(gender) AS gender, max(birth_year) AS birth_year FROM waiting GROUP BY child_id),
      s AS (SELECT ${ageBandSql('birth_year', firstYear)} AS band, gender, count(*)::int AS n FROM students GROUP BY 1, 2),
      c AS (SELECT ${ageBandSql('birth_year', firstYear)} AS band, gender, count(*)::int AS n FROM children GROUP BY 1, 2)
      SELECT coalesce(s.band, c.band) AS "ageBand", coalesce(s.gender, c.gender) AS "gender",
             coalesce(s.n, 0) AS "students", coalesce(c.n, 0) AS "waitingChildren"
        FROM s FULL JOIN c ON c.band = s.band AND c.gender = s.gender
       ORDER BY array_position(ARRAY['under', 'in', 'over', 'unknown'], coalesce(s.band, c.band)), 2`,
);

export interface CoverageRow {
  district: string;
  students6to15: number;
  waitingChildren6to15: number;
  children6to15: number | null;
  coveragePercent: number | null;
  waitingPercent: number | null;
  children6to17: number | null;
  populationBasis: string | null;
  populationSource: string | null;
}

/**
 * Per district: students and waiting children aged 6–15 against the district's children aged 6–15 (reference data).
 * Every district of the tenant's register has a row, with zeros where nobody is counted yet.
 */
export const coverage = (districts: readonly string[]) =>
  inScope<CoverageRow>(({ t, ctes, firstYear, params }) => {
    const inAge = (alias: string) => `${ageBandSql(`${alias}.birth_year`, firstYear)} = 'in'`;
    return `WITH ${ctes},
      s AS (SELECT district, count(DISTINCT student_id)::int AS n FROM held h WHERE ${inAge('h')} GROUP BY district),
      c AS (SELECT district, count(DISTINCT child_id)::int AS n FROM waiting w WHERE ${inAge('w')} GROUP BY district),
      r AS (SELECT * FROM statistics_reference_population WHERE tenant = ${t}),
      d AS (SELECT district FROM s UNION SELECT district FROM c UNION SELECT district FROM r
            UNION SELECT unnest(${params.add(districts, 'text[]')}) AS district)
      SELECT d.district AS "district", coalesce(s.n, 0) AS "students6to15", coalesce(c.n, 0) AS "waitingChildren6to15",
             r.children_6_15 AS "children6to15",
             round(100.0 * coalesce(s.n, 0) / nullif(r.children_6_15, 0), 1)::float8 AS "coveragePercent",
             round(100.0 * coalesce(c.n, 0) / nullif(r.children_6_15, 0), 1)::float8 AS "waitingPercent",
             r.children_6_17 AS "children6to17", r.basis AS "populationBasis", r.source AS "populationSource"
        FROM d LEFT JOIN s USING (district) LEFT JOIN c USING (district) LEFT JOIN r USING (district)
       ORDER BY (r.district IS NULL), d.district`;
  });

export interface KulturdagRow {
  schoolId: string;
  district: string;
  pupilsReached: number;
  appliedForCore: number;
  gotCorePlace: number;
  appliedPercent: number | null;
  gotCorePercent: number | null;
}

/**
 * Kulturdag reach and recruitment for a school year: pupils registered per school, and how many of them then (on or
 * after their registration, up to the day) applied for a core-programme offering and how many got a core place.
 */
export const kulturdag = async (
  db: Pool,
  tables: Tables,
  tenant: string,
  scope: Pick<StatisticsScope, 'schoolYear' | 'date'>,
): Promise<KulturdagRow[]> => {
  const params = new SqlParams();
  const t = params.add(tenant, 'text');
  const year = params.add(scope.schoolYear, 'text');
  const date = params.add(scope.date, 'date');
  const { rows } = await db.query<KulturdagRow>(
    // Pupils, applicants and students compared as people: a child registered twice and merged counts once.
    `WITH reached AS MATERIALIZED (
        SELECT k.tenant, ${personSql(tables, 'k', 'pupil_id')} AS pupil_id, k.school_id,
               min(k.registered_on) AS registered_on
          FROM ${tables('stat_kulturdag_pupils')} k
         WHERE k.tenant = ${t} AND k.school_year = ${year} AND k.registered_on <= ${date}
         GROUP BY 1, 2, 3
      ),
      -- Every id each pupil has had (merged registrations included), so applications and places join by id: one pass
      -- over each table, however many pupils, instead of a search per pupil.
      ids AS MATERIALIZED (
        SELECT k.pupil_id, k.school_id, k.registered_on, unnest(${idsOfPersonSql(tables, 'k', 'pupil_id')}) AS id
          FROM reached k
      ),
      applied AS (
        SELECT DISTINCT i.pupil_id, i.school_id
          FROM ids i
          JOIN ${tables('stat_applications')} a ON a.tenant = ${t} AND a.child_id = i.id
          JOIN ${tables('stat_offerings')} o ON o.tenant = a.tenant AND o.offering_id = a.offering_id
         WHERE o.programme = 'core' AND a.applied_on >= i.registered_on AND a.applied_on <= ${date}
      ),
      placed AS (
        SELECT DISTINCT i.pupil_id, i.school_id
          FROM ids i
          JOIN ${tables('stat_places')} p ON p.tenant = ${t} AND p.student_id = i.id
          JOIN ${tables('stat_offerings')} o ON o.tenant = p.tenant AND o.offering_id = p.offering_id
         WHERE o.programme = 'core' AND p.started_on >= i.registered_on AND p.started_on <= ${date}
      ),
      pupils AS MATERIALIZED (
        SELECT k.pupil_id, k.school_id, k.registered_on,
               EXISTS (SELECT 1 FROM applied x WHERE x.pupil_id = k.pupil_id AND x.school_id = k.school_id) AS applied,
               EXISTS (SELECT 1 FROM placed x WHERE x.pupil_id = k.pupil_id AND x.school_id = k.school_id) AS placed
          FROM reached k
      )
      SELECT s.school_id AS "schoolId", s.district AS "district", count(p.pupil_id)::int AS "pupilsReached",
             count(*) FILTER (WHERE p.applied)::int AS "appliedForCore",
             count(*) FILTER (WHERE p.placed)::int AS "gotCorePlace",
             round(100.0 * count(*) FILTER (WHERE p.applied) / nullif(count(p.pupil_id), 0), 1)::float8 AS "appliedPercent",
             round(100.0 * count(*) FILTER (WHERE p.placed) / nullif(count(p.pupil_id), 0), 1)::float8 AS "gotCorePercent"
        FROM ${tables('stat_kulturdag_schools')} s
        LEFT JOIN pupils p ON p.school_id = s.school_id
       WHERE s.tenant = ${t} AND s.school_year = ${year} AND s.joined_on <= ${date}
       GROUP BY s.school_id, s.district
       ORDER BY s.school_id`,
    params.values,
  );
  return rows;
};

export interface WaiverRow {
  district: string;
  students: number;
  studentsWithWaiver: number;
  sharePercent: number | null;
}

/** Per home district: students, and those whose payer holds a fee waiver; every district of the register has a row. */
export const waiverShare = (districts: readonly string[]) =>
  inScope<WaiverRow>(
    ({ t, tables, ctes, schoolYear, date, params }) => `WITH ${ctes}, ${waivedSql(tables, t, schoolYear, date)},
      students AS (SELECT student_id, max(district) AS district FROM held GROUP BY student_id),
      counted AS (
        SELECT district, count(*)::int AS students,
               count(*) FILTER (WHERE student_id IN (SELECT child_id FROM waived))::int AS with_waiver
          FROM students GROUP BY district
        UNION ALL
        SELECT r.district, 0, 0 FROM unnest(${params.add(districts, 'text[]')}) AS r(district)
         WHERE r.district NOT IN (SELECT district FROM students WHERE district IS NOT NULL)
      )
      SELECT district AS "district", students AS "students", with_waiver AS "studentsWithWaiver",
             round(100.0 * with_waiver / nullif(students, 0), 1)::float8 AS "sharePercent"
        FROM counted ORDER BY district`,
  );

const round1 = (value: number) => Math.round(value * 10) / 10;
