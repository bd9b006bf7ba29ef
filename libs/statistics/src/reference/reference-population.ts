import type { Migration } from '#libs/database';
import { TRONDHEIM_REGISTERS } from '#libs/municipality';
import { summaryStepsMigration } from '../queries/summary-steps.js';

/**
 * Children per district, the denominator of coverage. The domain brief gives only municipal totals of children aged
 * 6–17 (Trondheim ~26,000, Klæbu ~1,140, plan figures as of 1 Jan 2019), so Trondheim's total is split evenly over its
 * four districts: an ESTIMATE, marked as one in every row and answer. Coverage counts children aged 6–15 (primary-school
 * age, as KOSTRA does), so 6–15 is taken as 10 of the 12 yearly cohorts in 6–17; that gives 21,667 for Trondheim and 950
 * for Klæbu, within 0.3% of their 21,705 and 953 primary-school pupils (2018/19), which supports the adjustment.
 */
export interface DistrictPopulation {
  district: string;
  children6to17: number;
  children6to15: number;
  basis: 'estimate' | 'register';
  source: string;
}

const COHORTS_6_TO_15 = 10;
const COHORTS_6_TO_17 = 12;
const to6to15 = (children6to17: number) => Math.round((children6to17 * COHORTS_6_TO_15) / COHORTS_6_TO_17);

const TRONDHEIM_6_TO_17 = 26_000;
const KLAEBU_6_TO_17 = 1_140;
// Klæbu joined Trondheim in 2020 and has its own population figure below.
// Trondheim's reference data, for Trondheim's districts as its registers start (another tenant has none yet: its
// coverage rows show its register's districts without a denominator).
const TRONDHEIM_DISTRICTS = Object.keys(TRONDHEIM_REGISTERS.districts).filter((district) => district !== 'Klæbu');

const evenShare = TRONDHEIM_6_TO_17 / TRONDHEIM_DISTRICTS.length;

export const trondheimPopulation: readonly DistrictPopulation[] = [
  ...TRONDHEIM_DISTRICTS.map((district) => ({
    district,
    children6to17: evenShare,
    children6to15: to6to15(evenShare),
    basis: 'estimate' as const,
    source:
      "Estimate: Trondheim's ~26,000 children aged 6–17 (kulturskoleplan, 1 Jan 2019) split evenly over its four " +
      'districts; 6–15 taken as 10/12 of 6–17',
  })),
  {
    district: 'Klæbu',
    children6to17: KLAEBU_6_TO_17,
    children6to15: to6to15(KLAEBU_6_TO_17),
    basis: 'estimate',
    source: "Klæbu's ~1,140 children aged 6–17 (kulturskoleplan, 1 Jan 2019); 6–15 taken as 10/12 of 6–17",
  },
];

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

export const statisticsMigrations: Migration[] = [
  {
    id: 'statistics/0001-reference-population',
    sql: `
      -- Reference data, not events: the child population per district that coverage is measured against.
      CREATE TABLE statistics_reference_population (
        tenant text NOT NULL,
        district text NOT NULL,
        children_6_17 integer NOT NULL,
        children_6_15 integer NOT NULL,
        basis text NOT NULL CHECK (basis IN ('estimate', 'register')),
        source text NOT NULL,
        PRIMARY KEY (tenant, district)
      );
      INSERT INTO statistics_reference_population VALUES
      ${trondheimPopulation
        .map(
          (row) =>
            `('trondheim', ${literal(row.district)}, ${row.children6to17}, ${row.children6to15}, ` +
            `${literal(row.basis)}, ${literal(row.source)})`,
        )
        .join(',\n      ')};
    `,
  },
  summaryStepsMigration,
];
