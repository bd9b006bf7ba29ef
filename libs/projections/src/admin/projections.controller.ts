import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '#libs/platform';
import { ProjectionAdmin } from './projection-admin.js';

/** Status of the read models and their as-of builds: a query, served wherever the tables are read. */
@ApiTags('projections')
@ApiBearerAuth()
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly admin: ProjectionAdmin) {}

  @Get()
  @Roles('admin', 'auditor')
  async status() {
    return { projections: await this.admin.status() };
  }

  @Get('as-of')
  @Roles('admin', 'auditor')
  async asOfBuilds() {
    return { builds: await this.admin.asOfBuilds() };
  }
}
