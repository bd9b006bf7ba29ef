import type { SqlParams } from '#libs/query';

/** The question every statistics figure answers: which school year, on which day, and optionally a slice of it. */
export interface StatisticsScope {
  schoolYear: string;
  /** YYYY-MM-DD: places held on that day, children waiting at its end. */
  date: string;
  subjectGroup?: string;
  programme?: string;
  location?: string;
  district?: string;
  school?: string;
}

/** Table names of the statistics projection, qualified for the live views or an as-of build's schema. */
export type Tables = (name: string) => string;

/**
 * Age bands by school cohort: age = first calendar year of the school year − birth year, the age reached in the
 * autumn the school year starts. Primary-school age (grunnskolealder) is 6–15: grades 1–10, as GSI and KOSTRA count.
 */
export const ageBandSql = (birthYear: string, firstYear: string): string =>
  `CASE WHEN ${birthYear} IS NULL THEN 'unknown'
        WHEN ${firstYear} - ${birthYear} < 6 THEN 'under'
        WHEN ${firstYear} - ${birthYear} <= 15 THEN 'in'
        ELSE 'over' END`;

/**
 * The person a row's id names: a registration retired by a merge counts as its surviving person, so a child
 * registered twice (a D-number, then a fødselsnummer) counts once.
 */
export const personSql = (tables: Tables, alias: string, column: string): string =>
  `coalesce((SELECT pm.person_id FROM ${tables('stat_person_merges')} pm
              WHERE pm.tenant = ${alias}.tenant AND pm.retired_id = ${alias}.${column}), ${alias}.${column})`;

/** Every id of the person in `alias.column` (itself and the registrations merged into it), for `= ANY (…)`. */
export const idsOfPersonSql = (tables: Tables, alias: string, column: string): string =>
  `ARRAY[${alias}.${column}] || ARRAY(SELECT pm.retired_id FROM ${tables('stat_person_merges')} pm
                                       WHERE pm.tenant = ${alias}.tenant AND pm.person_id = ${alias}.${column})`;

export interface ScopeSql {
  /**
   * Common table expressions `held` (places held on the day) and `waiting` (applications of children waiting at its
   * end, each with the child's gender: the same on all of a child's rows).
   */
  ctes: string;
  firstYear: string;
  schoolYear: string;
  date: string;
}

/** Places held and children waiting on the scope's day, for one tenant, sliced as asked. */
export const scopeSql = (tables: Tables, params: SqlParams, tenant: string, scope: StatisticsScope): ScopeSql => {
  const schoolYear = params.add(scope.schoolYear, 'text');
  const date = params.add(scope.date, 'date');
  // A literal, not a parameter: not every query uses it, and PostgreSQL refuses a parameter it cannot type.
  const first = Number(scope.schoolYear.slice(0, 4));
  if (!Number.isInteger(first)) throw new Error(`Not a school year: ${scope.schoolYear}`);
  const firstYear = String(first);
  const slice = (alias: string, offering = 'o') => {
    const where: string[] = [];
    if (scope.subjectGroup) where.push(`${offering}.subject_group = ${params.add(scope.subjectGroup, 'text')}`);
    if (scope.programme) where.push(`${offering}.programme = ${params.add(scope.programme, 'text')}`);
    if (scope.location) where.push(`${offering}.location = ${params.add(scope.location, 'text')}`);
    if (scope.district) where.push(`${alias}.district = ${params.add(scope.district, 'text')}`);
    if (scope.school) where.push(`${alias}.school = ${params.add(scope.school, 'text')}`);
    return where.map((condition) => ` AND ${condition}`).join('');
  };
  const ctes = `
    held AS (
      SELECT * FROM (
        -- The district a student lives in on the day: the latest reported move by then, else the one enrolled with.
        SELECT p.tenant, p.place_id, ${personSql(tables, 'p', 'student_id')} AS student_id, p.birth_year, p.gender,
               coalesce((SELECT m.district FROM ${tables('stat_student_moves')} m
                          WHERE m.tenant = p.tenant AND m.student_id = p.student_id AND m.effective_on <= ${date}
                          ORDER BY m.effective_on DESC LIMIT 1), p.district, 'unknown') AS district,
               coalesce(p.school, 'unknown') AS school, o.subject_group, o.programme, o.location,
               o.district AS centre_district, coalesce(p.from_other_municipality, false) AS from_other_municipality
          FROM ${tables('stat_places')} p
          JOIN ${tables('stat_offerings')} o ON o.tenant = p.tenant AND o.offering_id = p.offering_id
         WHERE p.tenant = ${tenant} AND o.school_year = ${schoolYear}
           AND p.started_on <= ${date} AND (p.ended_on IS NULL OR p.ended_on >= ${date})
      ) h WHERE true${slice('h', 'h')}
    ),
    waiting AS (
      -- The child's gender, not the application's: from its latest application by then that gives one.
      SELECT a.tenant, a.application_id, ${personSql(tables, 'a', 'child_id')} AS child_id, a.birth_year,
             (SELECT g.gender FROM ${tables('stat_applications')} g
               WHERE g.tenant = a.tenant AND g.child_id = a.child_id AND g.applied_on <= ${date}
               ORDER BY g.gender = 'unknown', g.applied_on DESC, g.application_id COLLATE "C" DESC
               LIMIT 1) AS gender,
             coalesce(a.district, 'unknown') AS district,
             coalesce(a.school, 'unknown') AS school, o.subject_group, o.programme, o.location
        FROM ${tables('stat_applications')} a
        JOIN ${tables('stat_offerings')} o ON o.tenant = a.tenant AND o.offering_id = a.offering_id
       WHERE a.tenant = ${tenant} AND o.school_year = ${schoolYear}
         AND a.applied_on <= ${date} AND (a.left_on IS NULL OR a.left_on > ${date})${slice('a')}
    )`;
  return { ctes, firstYear, schoolYear, date };
};
