import { IntersectionType } from '@nestjs/swagger';
import {
  ListQueryParams,
  OptionalDay,
  OptionalOneOf,
  OptionalSchoolYear,
  OptionalText,
  ReadModelQueryParams,
} from '#libs/query';

const SUBJECT_GROUPS = ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] as const;
const PROGRAMMES = ['breadth', 'core', 'deepening'] as const;

/** Which school year and day, and an optional slice; every statistics route takes these. */
export class StatisticsScopeFields {
  @OptionalSchoolYear({ example: '2025-2026', description: 'Default: the school year of `date`' })
  schoolYear?: string;

  @OptionalDay({ example: '2025-10-01', description: 'Default: today, within the school year' })
  date?: string;

  @OptionalOneOf(SUBJECT_GROUPS)
  subjectGroup?: string;

  @OptionalOneOf(PROGRAMMES)
  programme?: string;

  @OptionalText(100, { example: 'Ranheim', description: 'Centre or school the offering is taught at' })
  location?: string;

  @OptionalText(100, { example: 'Heimdal', description: "The student's home district" })
  district?: string;

  @OptionalText(100, { example: 'berg-skole', description: "The student's school" })
  school?: string;
}

export class StatisticsQueryParams extends IntersectionType(ReadModelQueryParams, StatisticsScopeFields) {}

export class BreakdownQueryParams extends IntersectionType(ListQueryParams, StatisticsScopeFields) {
  @OptionalText(100, { example: 'music', description: 'Only the row of this group' })
  group?: string;
}

export class KulturdagQueryParams extends ReadModelQueryParams {
  @OptionalSchoolYear()
  schoolYear?: string;

  @OptionalDay({ example: '2026-06-30', description: 'Count applications and places up to this day' })
  date?: string;
}

export class GsiQueryParams {
  @OptionalOneOf(['json', 'csv'])
  format?: 'json' | 'csv';
}
