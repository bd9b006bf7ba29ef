import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DISTRICTS } from '#libs/municipality';

const SUBJECT_GROUPS = ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'];

export class SchoolYearQuery {
  @ApiPropertyOptional({ example: '2025-2026' })
  @IsOptional()
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear?: string;
}

export class RequiredSchoolYearQuery {
  @ApiProperty({ example: '2025-2026' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear!: string;
}

export class PageQuery extends SchoolYearQuery {
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;
  @ApiPropertyOptional({ example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class ActiveWaiversQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['full', 'partial'] })
  @IsOptional()
  @IsIn(['full', 'partial'])
  level?: 'full' | 'partial';
  @ApiPropertyOptional({ enum: DISTRICTS })
  @IsOptional()
  @IsIn(DISTRICTS)
  district?: string;
  @ApiPropertyOptional({ enum: SUBJECT_GROUPS })
  @IsOptional()
  @IsIn(SUBJECT_GROUPS)
  subjectGroup?: string;
}

export class WaiverCountsQuery extends SchoolYearQuery {
  @ApiPropertyOptional({ enum: ['full', 'partial'] })
  @IsOptional()
  @IsIn(['full', 'partial'])
  level?: 'full' | 'partial';
  @ApiPropertyOptional({ enum: DISTRICTS })
  @IsOptional()
  @IsIn(DISTRICTS)
  district?: string;
  @ApiPropertyOptional({ enum: SUBJECT_GROUPS })
  @IsOptional()
  @IsIn(SUBJECT_GROUPS)
  subjectGroup?: string;
}
