import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CallerIsOperator, CurrentPrincipal, Roles, type Principal, QueryOperation, shape } from '#libs/platform';
import { ProjectionAdmin } from './projection-admin.js';

/** Status of the read models and their as-of builds: a query, served wherever the tables are read. */
@ApiTags('projections')
@ApiBearerAuth()
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly admin: ProjectionAdmin) {}

  @QueryOperation({
    summary: "The projections' status: position, lag, failures",
    response: shape({ projections: 'object[]' }),
  })
  @Get()
  @Roles('admin', 'auditor')
  async status(@CurrentPrincipal() principal: Principal, @CallerIsOperator() operator: boolean) {
    return { projections: await this.admin.status({ tenant: principal.tenant, operator }) };
  }

  /** The caller's tenant's as-of builds (no other tenant's), each with its state: building, ready or failed. */
  @QueryOperation({
    summary: 'The as-of builds of the tenant (read models rebuilt up to an instant)',
    response: shape({ builds: 'object[]' }),
  })
  @Get('as-of')
  @Roles('admin', 'auditor')
  async asOfBuilds(@CurrentPrincipal() principal: Principal) {
    return { builds: await this.admin.asOfBuilds(principal.tenant) };
  }

  /** One as-of build of the caller's tenant: `state` building, ready or failed, and the `error` when it failed. */
  @QueryOperation({
    summary: 'One as-of build: its state and the instant it is built to',
    response: shape({ name: 'string' }),
    errors: [404],
  })
  @Get('as-of/:build')
  @Roles('admin', 'auditor')
  asOfBuild(@Param('build') build: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.asOfBuild(principal.tenant, build);
  }
}
