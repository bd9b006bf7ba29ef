import { applyDecorators, Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Pool } from '#libs/database';
import { osloDate } from '#libs/calendar';
import { Clock, PG_POOL, Roles, TenantRegisters } from '#libs/platform';
import { InvalidQuery, ReadFrom, ReadModel, type ReadContext, type ReadModelBody } from '#libs/query';
import { resolveScope, schoolYearOf } from '../http/resolve-scope.js';
import { statisticsProjection } from '../projection/statistics.projection.js';
import { equityFigures, schoolYearsCounted, SUPPRESS_BELOW, UNDER_MIN, type EquityRow } from './equity.queries.js';
import { EquityQueryParams, EquityYearsQueryParams } from './equity.request.js';
import { EquityProblemDto, EquityResponseDto, EquityYearsResponseDto } from './equity.responses.js';

const COLUMNS = [
  'dimension',
  'group',
  'waitingChildren',
  'medianWaitDays',
  'meanWaitDays',
  'applications',
  'admitted',
  'admissionRatePercent',
] as const;

const NOTES = [
  `Small cells are suppressed: a count of 1–${SUPPRESS_BELOW - 1} children reads "${UNDER_MIN}"; a median or mean wait of fewer than ${SUPPRESS_BELOW} waiting children, and an admission rate that would reveal such a count, are null.`,
  'Waiting: at the end of the day, each child once, with the wait of its oldest waiting application (days since its application day).',
  "Admission rate: of the school year's applications made by the day, the share whose offer was accepted by then and became a place.",
  "District and age band are the application's (age = the school year's first calendar year − birth year); the waiver group is the child's: its payer holds a fee waiver for the school year on the day.",
];

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: getSchemaPath(EquityProblemDto) } } },
});

/** The errors every Likeverd route can answer, as problem+json. */
const EquityErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({
      ...problem('A date that is not a date, or not in the school year; a malformed school year'),
    }),
    ApiUnauthorizedResponse({ ...problem('No bearer token, or one that does not verify') }),
    ApiForbiddenResponse({ ...problem('The role may not read statistics (admin and auditor may)') }),
    ApiNotFoundResponse({ ...problem('`asOf` names no finished as-of build') }),
  );

const lastDayOf = (schoolYear: string) => `${schoolYear.slice(5, 9)}-07-31`;

/**
 * Likeverd ("kulturskole for alle"): waiting and admission per district, age band and fee-waiver household, from the
 * statistics read model. Aggregates only, small cells suppressed; no child is named or counted apart.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@ApiExtraModels(EquityProblemDto)
@Roles('auditor', 'admin')
@Controller('statistics/equity')
export class EquityController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly registers: TenantRegisters,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Likeverd: children waiting, waiting time and admission rate per district, age band and fee waiver',
    description:
      'For one school year as of one day (default: today, within the school year): per home district (every district ' +
      'of the register), per age band and for children of households with a fee waiver against the rest, the children ' +
      'waiting at the end of the day (each once), their median and mean days waited so far, and the share of the ' +
      'year\'s applications made by the day that got a place. Aggregates only: counts of 1–4 read "under 5" and ' +
      'figures that would reveal them are null, as Statistics Norway suppresses small cells. `?format=csv` gives the ' +
      'rows of `items`; the answer carries the read model’s freshness and a weak ETag.',
  })
  @ApiOkResponse({ type: EquityResponseDto, description: 'The figures, suppressed, with the read model’s freshness' })
  @EquityErrors()
  @ReadModel({ projection: statisticsProjection, csvName: 'statistics-equity' })
  async equity(@Query() query: EquityQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    const scope = resolveScope(query, this.clock.now());
    const figures = await equityFigures(this.pool, read.source.table, read.tenant, scope, await this.districts(read));
    const items: EquityRow[] = [figures.totals, ...figures.byDistrict, ...figures.byAgeBand, ...figures.byWaiver];
    return { ...figures, suppressedBelow: SUPPRESS_BELOW, columns: COLUMNS, items, notes: NOTES };
  }

  @Get('school-years')
  @ApiOperation({
    summary: 'Likeverd over school years: the same figures for each school year, counted on its last day',
    description:
      'One block of rows per school year the read model has offerings of (from `from` to `to`, default: all up to the ' +
      'current one), each counted on the year’s last day (31 July), or today for the year under way: totals, ' +
      'districts, age bands and the two fee-waiver groups, suppressed as `GET /statistics/equity`. `?format=csv` ' +
      'gives the rows.',
  })
  @ApiOkResponse({ type: EquityYearsResponseDto, description: 'Rows per school year, oldest first' })
  @EquityErrors()
  @ReadModel({ projection: statisticsProjection, csvName: 'statistics-equity-school-years' })
  async schoolYears(@Query() query: EquityYearsQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    const today = osloDate(this.clock.now().toISOString());
    const current = schoolYearOf(today);
    const last = query.to && query.to < current ? query.to : current;
    if (query.from && query.from > last) throw new InvalidQuery(`${query.from} is after ${last}`, 'from');
    const years = (await schoolYearsCounted(this.pool, read.source.table, read.tenant, last)).filter(
      (year) => !query.from || year >= query.from,
    );
    const districts = await this.districts(read);
    const items = [];
    for (const schoolYear of years) {
      const date = lastDayOf(schoolYear) < today ? lastDayOf(schoolYear) : today;
      const figures = await equityFigures(this.pool, read.source.table, read.tenant, { schoolYear, date }, districts);
      for (const row of [figures.totals, ...figures.byDistrict, ...figures.byAgeBand, ...figures.byWaiver])
        items.push({ schoolYear, date, ...row });
    }
    return { suppressedBelow: SUPPRESS_BELOW, columns: ['schoolYear', 'date', ...COLUMNS], items, notes: NOTES };
  }

  private async districts(read: ReadContext): Promise<string[]> {
    return Object.keys((await this.registers.of(read.tenant)).districts);
  }
}
