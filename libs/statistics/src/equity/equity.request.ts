import { OptionalDay, OptionalSchoolYear, ReadModelQueryParams } from '#libs/query';

/** Likeverd for one school year on one day. */
export class EquityQueryParams extends ReadModelQueryParams {
  @OptionalSchoolYear({ example: '2025-2026', description: 'Default: the school year of `date`' })
  schoolYear?: string;

  @OptionalDay({ example: '2026-03-01', description: 'Default: today, within the school year' })
  date?: string;
}

/** Likeverd over school years, each counted on its last day (or today, for the one under way). */
export class EquityYearsQueryParams extends ReadModelQueryParams {
  @OptionalSchoolYear({ example: '2023-2024', description: 'The first school year (default: the oldest counted)' })
  from?: string;

  @OptionalSchoolYear({ example: '2025-2026', description: 'The last school year (default: the current one)' })
  to?: string;
}
