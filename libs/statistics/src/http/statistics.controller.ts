import { applyDecorators, Controller, Get, Inject, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Pool } from '#libs/database';
import { Clock, PG_POOL, Roles, TenantRegisters } from '#libs/platform';
import {
  InvalidQuery,
  listRequest,
  ReadFrom,
  ReadModel,
  runList,
  type ReadContext,
  type ReadModelBody,
} from '#libs/query';
import { statisticsProjection } from '../projection/statistics.projection.js';
import { KeptSummarySteps } from '../queries/kept-summary-steps.js';
import { GSI_COLUMNS, gsiBuildName, gsiCountInstant, gsiSectionA } from '../queries/gsi-report.js';
import {
  breakdownSpec,
  coverage,
  demographics,
  DIMENSIONS,
  kulturdag,
  summary,
  waiverShare,
  type Dimension,
  type ScopedQuery,
} from '../queries/statistics.queries.js';
import {
  BreakdownQueryParams,
  GsiQueryParams,
  KulturdagQueryParams,
  StatisticsQueryParams,
} from './statistics.request.js';
import { resolveScope } from './resolve-scope.js';

/** A statistics read: `GET /statistics/<path>`, answered from the read model; its CSV is named `statistics-<path>`. */
const StatisticsRead = (path: string, summary: string) =>
  applyDecorators(
    Get(path),
    ApiOperation({ summary }),
    // Aggregates only, nothing in the access trail: the answer at a read-model position is kept (issue 18).
    ReadModel({ projection: statisticsProjection, csvName: `statistics-${path.split('/')[0]}`, cacheAnswers: true }),
  );

// The interceptor names the as-of build before the route's pipes run, so the year is checked here too.
const gsiYear = (request: { params?: unknown }): number => {
  const raw = (request.params as { year?: string } | undefined)?.year ?? '';
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000) throw new InvalidQuery(`${raw} is not a year GSI counted`, 'year');
  return year;
};

/** Statistics for dashboards, auditors and the GSI form; every answer is for the caller's tenant and says how fresh it is. */
@ApiTags('statistics')
@ApiBearerAuth()
@Roles('auditor', 'admin')
@Controller('statistics')
export class StatisticsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly registers: TenantRegisters,
    private readonly steps: KeptSummarySteps,
  ) {}

  @StatisticsRead('summary', 'Students (each once), places, waiting children, by gender and age band, waiver share')
  async summary(@Query() query: StatisticsQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    const scope = resolveScope(query, this.clock.now());
    const { asOf, tableSet, position } = read.source.freshness;
    // The live model's whole-tenant figures come from its kept steps when they hold this position (ADR 0021).
    const kept = asOf
      ? undefined
      : await this.steps.summaryOn(read.tenant, scope, { tableSet, position: BigInt(position) });
    const row = kept ?? (await summary(this.pool, read.source.table, read.tenant, scope));
    return { items: [row], summary: row };
  }

  @StatisticsRead(
    'breakdown/:dimension',
    'Students, places and waiting children per subject group, programme, centre, district or school',
  )
  @ApiParam({ name: 'dimension', enum: DIMENSIONS })
  async breakdown(
    @Param('dimension') dimension: string,
    @Query() query: BreakdownQueryParams,
    @ReadFrom() read: ReadContext,
  ): Promise<ReadModelBody> {
    if (!(DIMENSIONS as readonly string[]).includes(dimension))
      throw new InvalidQuery(`Break down by one of: ${DIMENSIONS.join(', ')}`, 'dimension');
    const scope = resolveScope(query, this.clock.now());
    const spec = breakdownSpec(
      read.source.table,
      scope,
      dimension as Dimension,
      await this.registered(read.tenant, dimension as Dimension),
    );
    const result = await runList(this.pool, spec, listRequest(read, query, { group: query.group }));
    return { dimension, schoolYear: scope.schoolYear, date: scope.date, ...result };
  }

  @StatisticsRead(
    'demographics',
    'Students (each once) and waiting children by age band (under, in, over 6–15) and gender',
  )
  async demographics(@Query() query: StatisticsQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    return this.dayRows(query, read, demographics);
  }

  @StatisticsRead(
    'coverage',
    'Per district: students aged 6–15 against the children aged 6–15 (estimated reference data)',
  )
  async coverage(@Query() query: StatisticsQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    return this.dayRows(query, read, coverage(await this.registered(read.tenant, 'district')));
  }

  @StatisticsRead('kulturdag', 'Kulturdag schools, pupils reached, and how many then applied for and got a core place')
  async kulturdag(@Query() query: KulturdagQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    const { schoolYear, date, items } = await this.dayRows(query, read, kulturdag);
    const sum = (pick: (row: (typeof items)[number]) => number) => items.reduce((total, row) => total + pick(row), 0);
    const totals = {
      schools: items.length,
      pupilsReached: sum((row) => row.pupilsReached),
      appliedForCore: sum((row) => row.appliedForCore),
      gotCorePlace: sum((row) => row.gotCorePlace),
    };
    return { schoolYear, date, totals, items };
  }

  @StatisticsRead('waivers', 'Per home district: students, and the share whose payer holds a fee waiver that day')
  async waivers(@Query() query: StatisticsQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    return this.dayRows(query, read, waiverShare(await this.registered(read.tenant, 'district')));
  }

  @Get('gsi/:year')
  @ApiOperation({
    summary: 'GSI form section A as of 1 October of the year, from an as-of build made (on first request) at that day',
  })
  @ApiParam({ name: 'year', example: 2025 })
  @ReadModel({
    projection: statisticsProjection,
    csvName: 'gsi-section-a',
    cacheAnswers: true,
    asOfBuild: (request) => ({ name: gsiBuildName(gsiYear(request)), until: gsiCountInstant(gsiYear(request)) }),
  })
  async gsi(
    @Param('year', ParseIntPipe) year: number,
    @Query() _query: GsiQueryParams,
    @ReadFrom() read: ReadContext,
  ): Promise<ReadModelBody> {
    const items = await gsiSectionA(this.pool, read.source.table, read.tenant, year);
    return {
      year,
      countedOn: `${year}-10-01`,
      schoolYear: `${year}-${year + 1}`,
      columns: GSI_COLUMNS,
      items,
      notes: [
        'Age bands by school cohort: age = year − birth year; primary-school age (grunnskolealder) is 6–15 (grades 1–10).',
        'A student counts once; places and waiting children are counted per GSI subject group.',
        'A11: students registered as living in another municipality, each once (also in A1–A4); A12 (the form’s split of them) is not recorded apart.',
        'Courses shorter than a semester and teaching hours are not recorded by this platform.',
      ],
    };
  }

  /** The tenant's own districts or centres, which a breakdown by them lists even where nobody is counted. */
  private async registered(tenant: string, dimension: Dimension): Promise<string[]> {
    if (dimension !== 'district' && dimension !== 'location') return [];
    const registers = await this.registers.of(tenant);
    return Object.keys(dimension === 'district' ? registers.districts : registers.centres);
  }

  /** Rows counted on one day of a school year, under the scope the query resolves to, with that year and day. */
  private async dayRows<Row>(
    query: StatisticsQueryParams | KulturdagQueryParams,
    read: ReadContext,
    count: ScopedQuery<Row>,
  ): Promise<{ schoolYear: string; date: string; items: Row[] }> {
    const scope = resolveScope(query, this.clock.now());
    return {
      schoolYear: scope.schoolYear,
      date: scope.date,
      items: await count(this.pool, read.source.table, read.tenant, scope),
    };
  }
}
