import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsSchoolYear } from '#libs/platform';

type Described = Pick<ApiPropertyOptions, 'description' | 'example' | 'default'>;

/** An optional whole number ≥ 1 in the query string (`?limit=50`), at most `max` when given. */
export const OptionalPositiveInt = (api: Described & { minimum?: number; maximum?: number } = {}, max?: number) =>
  applyDecorators(
    ApiPropertyOptional(api),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    ...(max === undefined ? [] : [Max(max)]),
  );

/** An optional school year such as `2025-2026`. */
export const OptionalSchoolYear = (api: Described = { example: '2025-2026' }) =>
  applyDecorators(ApiPropertyOptional(api), IsOptional(), IsSchoolYear());

/** A required school year such as `2025-2026`. */
export const RequiredSchoolYear = () => applyDecorators(ApiProperty({ example: '2025-2026' }), IsSchoolYear());

/** An optional calendar day as YYYY-MM-DD. */
export const OptionalDay = (api: Described) =>
  applyDecorators(
    ApiPropertyOptional(api),
    IsOptional(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' }),
  );

/** An optional value from a fixed list, listed in the OpenAPI document. */
export const OptionalOneOf = (values: readonly string[], api: Described = {}) =>
  applyDecorators(ApiPropertyOptional({ enum: values, ...api }), IsOptional(), IsIn(values));

/** An optional free-text filter of at most `maxLength` characters. */
export const OptionalText = (maxLength: number, api: Described = {}) =>
  applyDecorators(ApiPropertyOptional(api), IsOptional(), IsString(), MaxLength(maxLength));
