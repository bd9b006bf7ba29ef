import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQueryParams, ReadModelQueryParams } from '#libs/query';

const SUBJECT_GROUPS = ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] as const;
const PROGRAMMES = ['breadth', 'core', 'deepening'] as const;

/** Which school year and day, and an optional slice; every statistics route takes these. */
export class StatisticsScopeFields {
  @ApiPropertyOptional({ example: '2025-2026', description: 'Default: the school year of `date`' })
  @IsOptional()
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear?: string;

  @ApiPropertyOptional({ example: '2025-10-01', description: 'Default: today, within the school year' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ enum: SUBJECT_GROUPS })
  @IsOptional()
  @IsIn(SUBJECT_GROUPS)
  subjectGroup?: string;

  @ApiPropertyOptional({ enum: PROGRAMMES })
  @IsOptional()
  @IsIn(PROGRAMMES)
  programme?: string;

  @ApiPropertyOptional({ example: 'Ranheim', description: 'Centre or school the offering is taught at' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  location?: string;

  @ApiPropertyOptional({ example: 'Heimdal', description: "The student's home district" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ example: 'berg-skole', description: "The student's school" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  school?: string;
}

export class StatisticsQueryParams extends IntersectionType(ReadModelQueryParams, StatisticsScopeFields) {}

export class BreakdownQueryParams extends IntersectionType(ListQueryParams, StatisticsScopeFields) {
  @ApiPropertyOptional({ example: 'music', description: 'Only the row of this group' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  group?: string;
}

export class KulturdagQueryParams extends ReadModelQueryParams {
  @ApiPropertyOptional({ example: '2025-2026' })
  @IsOptional()
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear?: string;

  @ApiPropertyOptional({ example: '2026-06-30', description: 'Count applications and places up to this day' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' })
  date?: string;
}

export class GsiQueryParams {
  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
