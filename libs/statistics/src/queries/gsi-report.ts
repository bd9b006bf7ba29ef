import type { Pool } from '#libs/database';
import { SqlParams } from '#libs/query';
import { ageBandSql, scopeSql, type Tables } from './scope.js';

/** The GSI subject groups in the form's order; our `sami` and `other` are its Sámi and "other art forms" lines. */
export const GSI_SUBJECT_GROUPS = ['music', 'dance', 'theatre', 'visual-arts', 'sami', 'other'] as const;

export interface GsiLine {
  line: string;
  measure: 'students' | 'places' | 'waitlist';
  group: string;
  girls: number;
  boys: number;
  genderUnknown: number;
  total: number;
}

export const GSI_COLUMNS = ['line', 'measure', 'group', 'girls', 'boys', 'genderUnknown', 'total'] as const;

/** The instant GSI counts at: the end of 1 October (Oslo, summer time until late October: UTC+2). */
export const gsiCountInstant = (year: number): Date => new Date(Date.parse(`${year}-10-02T00:00:00+02:00`) - 1);
export const gsiBuildName = (year: number): string => `gsi_${year}`;

interface Counted {
  grp: string;
  gender: string;
  n: number;
}

/**
 * Section A of the GSI form as of 1 October of `year`: students (each once) by age band and gender, places and
 * waiting children per subject group. Read from the as-of build made at the end of that day.
 */
export const gsiSectionA = async (db: Pool, tables: Tables, tenant: string, year: number): Promise<GsiLine[]> => {
  const params = new SqlParams();
  const t = params.add(tenant, 'text');
  const scope = { schoolYear: `${year}-${year + 1}`, date: `${year}-10-01` };
  const { ctes, firstYear } = scopeSql(tables, params, t, scope);
  const query = (select: string) => db.query<Counted>(`WITH ${ctes} ${select}`, params.values);
  const [students, places, waitlist] = await Promise.all([
    query(`, s AS (SELECT student_id, max(gender) AS gender, max(birth_year) AS birth_year FROM held GROUP BY student_id)
           SELECT ${ageBandSql('birth_year', firstYear)} AS grp, gender, count(*)::int AS n FROM s GROUP BY 1, 2`),
    query(`SELECT subject_group AS grp, gender, count(*)::int AS n FROM held GROUP BY 1, 2`),
    // `waiting` gives each child one gender on all its rows, so a child counts once per group and once in all.
    query(`, c AS (SELECT DISTINCT subject_group, child_id, gender FROM waiting)
           SELECT subject_group AS grp, gender, count(*)::int AS n FROM c GROUP BY 1, 2`),
  ]);
  // A11/A12: students living in another municipality, each once (they are in A1–A4 as well).
  const fromElsewhere = await query(
    `, s AS (SELECT student_id, max(gender) AS gender FROM held WHERE from_other_municipality GROUP BY student_id)
     SELECT 'all' AS grp, gender, count(*)::int AS n FROM s GROUP BY 1, 2`,
  );
  const waitingChildren = await query(
    `, c AS (SELECT DISTINCT child_id, gender FROM waiting)
     SELECT 'all' AS grp, gender, count(*)::int AS n FROM c GROUP BY 1, 2`,
  );
  const line = (id: string, measure: GsiLine['measure'], group: string, counted: readonly Counted[]): GsiLine => {
    const of = (gender: string) => counted.filter((c) => c.gender === gender).reduce((sum, c) => sum + c.n, 0);
    const total = counted.reduce((sum, c) => sum + c.n, 0);
    const girls = of('female');
    const boys = of('male');
    return { line: id, measure, group, girls, boys, genderUnknown: total - girls - boys, total };
  };
  const inGroup = (rows: readonly Counted[], group: string) => rows.filter((row) => row.grp === group);
  return [
    line('A1', 'students', 'under primary-school age (under 6)', inGroup(students.rows, 'under')),
    line('A2', 'students', 'in primary-school age (6–15)', inGroup(students.rows, 'in')),
    line('A3', 'students', 'over primary-school age (over 15)', inGroup(students.rows, 'over')),
    line('A4', 'students', 'total (each student once)', students.rows),
    ...GSI_SUBJECT_GROUPS.map((group, n) => line(`A5.${n + 1}`, 'places', group, inGroup(places.rows, group))),
    line('A5', 'places', 'total', places.rows),
    ...GSI_SUBJECT_GROUPS.map((group, n) => line(`A6.${n + 1}`, 'waitlist', group, inGroup(waitlist.rows, group))),
    line('A6', 'waitlist', 'total (each child once)', waitingChildren.rows),
    line('A11', 'students', 'from other municipalities (each student once; also in A1–A4)', fromElsewhere.rows),
  ];
};
