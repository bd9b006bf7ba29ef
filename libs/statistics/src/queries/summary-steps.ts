import type { Migration, Pool, PoolClient } from '#libs/database';
import { SqlParams } from '#libs/query';
import { ageBandSql, personSql, type Tables } from './scope.js';
import type { Summary } from './statistics.queries.js';

export const summaryStepsMigration: Migration = {
  id: 'statistics/0002-summary-steps',
  // ADR 0021: a tenant's school year of summaries, as steps over its days, counted at a position of the live model.
  sql: `
    CREATE TABLE statistics_summary_steps (
      tenant text NOT NULL,
      school_year text NOT NULL,
      -- The live table set counted (statistics@v<n>): a new version's rows may differ at the same position.
      table_set text NOT NULL,
      position bigint NOT NULL,
      steps jsonb NOT NULL,
      counted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, school_year)
    );
  `,
};

/** The summary's figures from `day` until the next step (ADR 0021). */
export type SummaryStep = { day: string } & Omit<Summary, 'schoolYear' | 'date' | 'waiverSharePercent'>;

const FIGURES = [
  'students',
  'places',
  'waitingChildren',
  'waitingApplications',
  'studentsFemale',
  'studentsMale',
  'studentsGenderUnknown',
  'studentsUnderPrimarySchoolAge',
  'studentsInPrimarySchoolAge',
  'studentsOverPrimarySchoolAge',
  'studentsWithWaiver',
] as const;

/**
 * The summary of a school year for every day at once, as a step function: one row per day on which a figure changes.
 * Each person's days are cut where any of their rows starts or ends (a place, an application, a payer's waiver), and
 * the day rules of `scopeSql` and `waivedSql` are applied once per piece at its first day: a piece is the same on
 * each of its days. A piece adds its figures on its first day and takes them away on the day after it; the running sum
 * is the summary of each day. Students and waiting children are people (merged registrations as one): a person counts
 * once per piece, however many places or applications it has then.
 */
export const summarySteps = async (
  db: Pool | PoolClient,
  tables: Tables,
  tenant: string,
  schoolYear: string,
): Promise<SummaryStep[]> => {
  const first = Number(schoolYear.slice(0, 4));
  if (!Number.isInteger(first)) throw new Error(`Not a school year: ${schoolYear}`);
  const params = new SqlParams();
  const t = params.add(tenant, 'text');
  const year = params.add(schoolYear, 'text');
  const band = ageBandSql('birth_year', String(first));
  const held = 'places > 0';
  const figures = {
    students: `(${held})::int`,
    places: 'places',
    waitingChildren: '(apps > 0)::int',
    waitingApplications: 'apps',
    studentsFemale: `(${held} AND gender = 'female')::int`,
    studentsMale: `(${held} AND gender = 'male')::int`,
    studentsGenderUnknown: `coalesce(${held} AND gender NOT IN ('female', 'male'), false)::int`,
    studentsUnderPrimarySchoolAge: `(${held} AND ${band} = 'under')::int`,
    studentsInPrimarySchoolAge: `(${held} AND ${band} = 'in')::int`,
    studentsOverPrimarySchoolAge: `(${held} AND ${band} = 'over')::int`,
    studentsWithWaiver: `(${held} AND waived)::int`,
  } satisfies Record<(typeof FIGURES)[number], string>;
  const signed = (sign: string) =>
    FIGURES.map((name) => `${sign} * coalesce(${figures[name]}, 0) AS "${name}"`).join(', ');
  // [s, e): from its first day up to, not including, e (null: open). The same test of a piece's first day as the
  // per-day query's: a place is held from its first through its last day, an application waits until the day it left.
  const covers = (row: string) => `${row}.s <= piece.s AND (${row}.e IS NULL OR ${row}.e > piece.s)`;
  const { rows } = await db.query<SummaryStep>(
    `WITH
      pl AS (
        SELECT ${personSql(tables, 'p', 'student_id')} AS person, p.started_on AS s, p.ended_on + 1 AS e,
               p.gender, p.birth_year
          FROM ${tables('stat_places')} p
          JOIN ${tables('stat_offerings')} o ON o.tenant = p.tenant AND o.offering_id = p.offering_id
         WHERE p.tenant = ${t} AND o.school_year = ${year} AND p.started_on IS NOT NULL
      ),
      ap AS (
        SELECT ${personSql(tables, 'a', 'child_id')} AS person, a.applied_on AS s, a.left_on AS e
          FROM ${tables('stat_applications')} a
          JOIN ${tables('stat_offerings')} o ON o.tenant = a.tenant AND o.offering_id = a.offering_id
         WHERE a.tenant = ${t} AND o.school_year = ${year} AND a.applied_on IS NOT NULL
      ),
      -- A payer's days with the child and the waiver's days, both: LEAST and GREATEST skip a null (an open end).
      wv AS (
        SELECT ${personSql(tables, 'py', 'child_id')} AS person, greatest(py.from_on, w.granted_on) AS s,
               least(py.until_on + 1, w.ended_on) AS e
          FROM ${tables('stat_payers')} py
          JOIN ${tables('stat_waivers')} w ON w.tenant = py.tenant AND w.household_id = py.payer_id
         WHERE py.tenant = ${t} AND w.school_year = ${year} AND py.from_on IS NOT NULL AND w.granted_on IS NOT NULL
      ),
      cuts AS (
        SELECT person, s AS day FROM pl UNION SELECT person, e FROM pl
        UNION SELECT person, s FROM ap UNION SELECT person, e FROM ap
        UNION SELECT person, s FROM wv UNION SELECT person, e FROM wv
      ),
      piece AS (
        SELECT person, day AS s, lead(day) OVER (PARTITION BY person ORDER BY day) AS e FROM cuts WHERE day IS NOT NULL
      ),
      -- Joins on the person (hashed), not a search per piece: each person has a handful of rows.
      held AS (
        SELECT piece.person, piece.s, count(*)::int AS places, max(pl.gender) AS gender, max(pl.birth_year) AS birth_year
          FROM piece JOIN pl ON pl.person = piece.person AND ${covers('pl')}
         GROUP BY piece.person, piece.s
      ),
      waits AS (
        SELECT piece.person, piece.s, count(*)::int AS apps
          FROM piece JOIN ap ON ap.person = piece.person AND ${covers('ap')}
         GROUP BY piece.person, piece.s
      ),
      waived AS (
        SELECT DISTINCT piece.person, piece.s FROM piece JOIN wv ON wv.person = piece.person AND ${covers('wv')}
      ),
      figured AS (
        SELECT piece.s, piece.e, coalesce(h.places, 0) AS places, h.gender, h.birth_year,
               coalesce(w.apps, 0) AS apps, v.person IS NOT NULL AS waived
          FROM piece
          LEFT JOIN held h ON h.person = piece.person AND h.s = piece.s
          LEFT JOIN waits w ON w.person = piece.person AND w.s = piece.s
          LEFT JOIN waived v ON v.person = piece.person AND v.s = piece.s
      ),
      moves AS (
        SELECT s AS day, ${signed('1')} FROM figured
        UNION ALL
        SELECT e AS day, ${signed('-1')} FROM figured WHERE e IS NOT NULL
      ),
      per_day AS (
        SELECT day, ${FIGURES.map((name) => `sum("${name}") AS "${name}"`).join(', ')} FROM moves GROUP BY day
      )
      SELECT to_char(day, 'YYYY-MM-DD') AS day,
             ${FIGURES.map((name) => `(sum("${name}") OVER (ORDER BY day))::int AS "${name}"`).join(', ')}
        FROM per_day ORDER BY day`,
    params.values,
  );
  return rows;
};

/** The figures of `date` from a school year's steps: the last step on or before it, else nothing counted yet. */
export const stepOn = (steps: readonly SummaryStep[], date: string): Omit<SummaryStep, 'day'> => {
  let found: SummaryStep | undefined;
  for (const step of steps) {
    if (step.day > date) break;
    found = step;
  }
  const { day: _day, ...figures } = found ?? { day: '', ...Object.fromEntries(FIGURES.map((name) => [name, 0])) };
  return figures as Omit<SummaryStep, 'day'>;
};
