import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CallerIsOperator, CurrentPrincipal, Roles, type Principal } from '#libs/platform';
import { ProjectionAdmin } from './projection-admin.js';

/** Status of the read models and their as-of builds: a query, served wherever the tables are read. */
@ApiTags('projections')
@ApiBearerAuth()
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly admin: ProjectionAdmin) {}

  @Get()
  @Roles('admin', 'auditor')
  async status(@CurrentPrincipal() principal: Principal, @CallerIsOperator() operator: boolean) {
    return { projections: await this.admin.status({ tenant: principal.tenant, operator }) };
  }

  /** The caller's tenant's as-of builds (no other tenant's), each with its state: building, ready or failed. */
  @Get('as-of')
  @Roles('admin', 'auditor')
  async asOfBuilds(@CurrentPrincipal() principal: Principal) {
    return { builds: await this.admin.asOfBuilds(principal.tenant) };
  }

  /** One as-of build of the caller's tenant: `state` building, ready or failed, and the `error` when it failed. */
  @Get('as-of/:build')
  @Roles('admin', 'auditor')
  asOfBuild(@Param('build') build: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.asOfBuild(principal.tenant, build);
  }
}
