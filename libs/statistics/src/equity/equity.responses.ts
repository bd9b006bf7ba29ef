import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { EQUITY_DIMENSIONS, SUPPRESS_BELOW, UNDER_MIN } from './equity.queries.js';

// The OpenAPI schemas of the Likeverd answers; the handlers return plain objects of these shapes.

/** A count, or "under 5" for a small cell. */
const shown = (description: string): ApiPropertyOptions =>
  ({
    oneOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', enum: [UNDER_MIN] },
    ],
    description,
  }) as ApiPropertyOptions;

export class EquityRowDto {
  @ApiProperty({ enum: EQUITY_DIMENSIONS, description: 'What the row is grouped by' })
  dimension!: string;

  @ApiProperty({
    example: 'Heimdal',
    description:
      "'all'; a district (the applicant's home district, 'unknown' when not given); an age band (under, in, over 6–15, unknown); or with-waiver / without-waiver",
  })
  group!: string;

  @ApiProperty(shown(`Children waiting at the end of the day, each once; 1–${SUPPRESS_BELOW - 1} reads "${UNDER_MIN}"`))
  waitingChildren!: number | string;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 84,
    description: `Median days waited so far (oldest waiting application); null when fewer than ${SUPPRESS_BELOW} children wait`,
  })
  medianWaitDays!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 97.3,
    description: 'Mean days waited so far; null as the median',
  })
  meanWaitDays!: number | null;

  @ApiProperty(shown('Applications to the school year’s offerings made by the day'))
  applications!: number | string;

  @ApiProperty(shown('Of them, those whose offer was accepted by the day and became a place'))
  admitted!: number | string;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 41.2,
    description: `admitted / applications in percent; null when it would give away a count under ${SUPPRESS_BELOW}`,
  })
  admissionRatePercent!: number | null;
}

class FreshnessDto {
  @ApiProperty({ example: '18234', description: 'The event-store position the read model has applied' })
  position!: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-03-01T10:15:00.000Z' })
  lastEventAt!: string | null;
}

export class EquityResponseDto {
  @ApiProperty({ example: '2025-2026' })
  schoolYear!: string;

  @ApiProperty({ example: '2026-03-01' })
  date!: string;

  @ApiProperty({ example: SUPPRESS_BELOW, description: 'Counts below this (above 0) are shown as "under 5"' })
  suppressedBelow!: number;

  @ApiProperty({ type: EquityRowDto })
  totals!: EquityRowDto;

  @ApiProperty({ type: [EquityRowDto], description: 'Every district of the tenant’s register, then unknown' })
  byDistrict!: EquityRowDto[];

  @ApiProperty({ type: [EquityRowDto] })
  byAgeBand!: EquityRowDto[];

  @ApiProperty({ type: [EquityRowDto], description: 'with-waiver, without-waiver' })
  byWaiver!: EquityRowDto[];

  @ApiProperty({ type: [EquityRowDto], description: 'All the rows above in one table (the CSV export)' })
  items!: EquityRowDto[];

  @ApiProperty({ type: [String] })
  notes!: string[];

  @ApiProperty({ type: FreshnessDto })
  freshness!: FreshnessDto;
}

export class EquityYearRowDto extends EquityRowDto {
  @ApiProperty({ example: '2024-2025' })
  schoolYear!: string;

  @ApiProperty({ example: '2025-07-31', description: 'The day the year is counted on' })
  date!: string;
}

export class EquityYearsResponseDto {
  @ApiProperty({ example: SUPPRESS_BELOW })
  suppressedBelow!: number;

  @ApiProperty({
    type: [EquityYearRowDto],
    description: 'Per school year, oldest first: totals, districts, age bands, waiver groups',
  })
  items!: EquityYearRowDto[];

  @ApiProperty({ type: [String] })
  notes!: string[];

  @ApiProperty({ type: FreshnessDto })
  freshness!: FreshnessDto;
}

/** RFC 9457 problem details, as every error of the API is answered. */
export class EquityProblemDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: '2026-09-01 is not in the school year 2025-2026' })
  detail!: string;

  @ApiProperty({ required: false, example: '/statistics/equity?schoolYear=2025-2026&date=2026-09-01' })
  instance?: string;

  @ApiProperty({
    required: false,
    type: 'array',
    // Without `items` the document would say an array of strings: each entry is a field and its message.
    items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    example: [{ field: 'date', message: '2026-09-01 is not in the school year 2025-2026' }],
  })
  errors?: { field: string; message: string }[];
}
