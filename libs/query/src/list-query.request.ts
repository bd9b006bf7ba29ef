import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CSV_ROWS_MAX } from './paging.js';
import { OptionalOneOf, OptionalPositiveInt, OptionalText } from './query-param.decorators.js';

/** Query parameters every read-model route takes; a route's DTO extends it with its filters. */
export class ReadModelQueryParams {
  @OptionalOneOf(['json', 'csv'], { description: 'Or send Accept: text/csv' })
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ example: 'audit_2025', description: 'Read a finished as-of build instead of the live model' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,39}$/)
  asOf?: string;
}

/** Paging and sorting for tables: keyset (`limit`, `cursor`) or numbered pages (`page`, `pageSize`). */
export class ListQueryParams extends ReadModelQueryParams {
  @OptionalPositiveInt(
    { minimum: 1, maximum: CSV_ROWS_MAX, description: 'Rows per page (max 500; CSV max 10,000)' },
    CSV_ROWS_MAX,
  )
  limit?: number;

  @OptionalText(2000, { description: 'nextCursor of the previous page' })
  cursor?: string;

  @OptionalPositiveInt({ minimum: 1 })
  page?: number;

  @OptionalPositiveInt({ minimum: 1, maximum: CSV_ROWS_MAX }, CSV_ROWS_MAX)
  pageSize?: number;

  @ApiPropertyOptional({ example: '-places,district', description: 'Columns to sort by; a minus sorts descending' })
  @IsOptional()
  @Matches(/^-?[a-zA-Z]+(,-?[a-zA-Z]+)*$/)
  sort?: string;
}
