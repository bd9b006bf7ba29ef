import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AccessTrail,
  Clock,
  CurrentPrincipal,
  Roles,
  TenantRegisters,
  type Principal,
  QueryOperation,
  listOf,
  shape,
} from '#libs/platform';
import { SchoolYearParam } from '../set-waiver-budget/set-waiver-budget.request.js';
import {
  ActiveWaiversQuery,
  PageQuery,
  RequiredSchoolYearQuery,
  SchoolYearQuery,
  WaiverCountsQuery,
} from './fee-waivers.request.js';
import { FeeWaiversQuery } from './fee-waivers.query.js';

/**
 * The fee-waivers read model for caseworkers and admins. Households appear by pseudonymous id with the decided level
 * only: the income never leaves the funding service. Lists that name households are recorded in the access trail.
 */
@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/fee-waivers')
export class FeeWaiversController {
  constructor(
    private readonly query: FeeWaiversQuery,
    private readonly trail: AccessTrail,
    private readonly clock: Clock,
    private readonly registers: TenantRegisters,
  ) {}

  @QueryOperation({
    summary: 'Fee waivers in force on a day',
    response: shape({ items: 'object[]' }),
  })
  @Get('active')
  @Roles('admin', 'caseworker')
  async active(@Query() q: ActiveWaiversQuery, @CurrentPrincipal() principal: Principal) {
    if (q.district) await this.registers.assertKnown(principal, 'districts', q.district, 'district');
    await this.trail.recordRead(principal, 'funding.fee-waivers.active', 'list');
    const { page = 1, pageSize = 50, ...filter } = q;
    return this.query.activeWaivers(principal.tenant, filter, page, pageSize);
  }

  @QueryOperation({
    summary: 'How many fee waivers are in force, per level',
    response: listOf({ type: 'object', additionalProperties: true }),
  })
  @Get('active/counts')
  @Roles('admin', 'caseworker')
  async counts(@Query() q: WaiverCountsQuery, @CurrentPrincipal() principal: Principal) {
    if (q.district) await this.registers.assertKnown(principal, 'districts', q.district, 'district');
    return this.query.activeCounts(principal.tenant, q);
  }

  @QueryOperation({
    summary: 'Fee waivers per semester of a school year, and what they cost',
    response: listOf({ type: 'object', additionalProperties: true }),
  })
  @Get('semesters')
  @Roles('admin', 'caseworker')
  semesters(@Query() q: SchoolYearQuery, @CurrentPrincipal() principal: Principal) {
    return this.query.waivedPerSemester(principal.tenant, q.schoolYear);
  }

  @QueryOperation({
    summary: "A school year's fee-waiver budget and how much of it is used",
    response: shape({}, { additionalProperties: true }),
  })
  @Get('budget/:schoolYear')
  @Roles('admin', 'caseworker')
  budget(@Param() { schoolYear }: SchoolYearParam, @CurrentPrincipal() principal: Principal) {
    return this.query.budget(principal.tenant, schoolYear);
  }

  @QueryOperation({
    summary: 'Fee-waiver applications waiting for a decision',
    response: shape({ items: 'object[]' }),
  })
  @Get('pending')
  @Roles('admin', 'caseworker')
  async pending(@Query() q: PageQuery, @CurrentPrincipal() principal: Principal) {
    await this.trail.recordRead(principal, 'funding.fee-waivers.pending', 'list');
    return this.query.pending(principal.tenant, q.schoolYear, this.clock.now(), q.page ?? 1, q.pageSize ?? 50);
  }

  @QueryOperation({
    summary: 'Per district: the share of students whose payer holds a fee waiver, against low-income households',
    response: listOf(shape({ district: 'string', students: 'integer', studentsWithWaiver: 'integer' })),
  })
  @Get('reach')
  @Roles('admin', 'caseworker')
  reach(@Query() q: RequiredSchoolYearQuery, @CurrentPrincipal() principal: Principal) {
    return this.query.reach(principal.tenant, q.schoolYear);
  }
}
