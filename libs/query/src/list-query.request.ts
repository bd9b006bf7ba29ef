import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CSV_ROWS_MAX } from './paging.js';

/** Query parameters every read-model route takes; a route's DTO extends it with its filters. */
export class ReadModelQueryParams {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ example: 'audit_2025', description: 'Read a finished as-of build instead of the live model' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/)
  asOf?: string;
}

/** Paging and sorting for tables: keyset (`limit`, `cursor`) or numbered pages (`page`, `pageSize`). */
export class ListQueryParams extends ReadModelQueryParams {
  @ApiPropertyOptional({ minimum: 1, maximum: CSV_ROWS_MAX, description: 'Rows per page (max 500; CSV max 10,000)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CSV_ROWS_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: CSV_ROWS_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CSV_ROWS_MAX)
  pageSize?: number;

  @ApiPropertyOptional({ example: '-places,district', description: 'Columns to sort by; a minus sorts descending' })
  @IsOptional()
  @Matches(/^-?[a-zA-Z]+(,-?[a-zA-Z]+)*$/)
  sort?: string;
}
