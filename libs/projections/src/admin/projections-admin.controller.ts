import { BadRequestException, Body, Controller, HttpCode, Inject, Logger, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, newCommandContext, Roles, type Principal } from '#libs/platform';
import { ProjectionRunner } from '../runner/projection-runner.js';
import { ProjectionAdmin } from './projection-admin.js';
import { BuildAsOfRequest, SkipEventRequest } from './projections.request.js';

/** What an admin or auditor does to the read models: served only where the runner runs (projector, host). */
@ApiTags('projections')
@ApiBearerAuth()
@Controller('projections')
export class ProjectionsAdminController {
  private readonly logger = new Logger('projections');

  constructor(
    private readonly admin: ProjectionAdmin,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
  ) {}

  @Post(':name/retry')
  @HttpCode(200)
  @Roles('admin')
  retry(@Param('name') name: string) {
    return this.admin.retry(name);
  }

  @Post(':name/skip')
  @HttpCode(200)
  @Roles('admin')
  skip(@Param('name') name: string, @Body() body: SkipEventRequest, @CurrentPrincipal() principal: Principal) {
    return this.admin.skip(name, newCommandContext(principal, { now: new Date(), reason: body.reason }));
  }

  /** Starts the build and answers at once; progress is in GET /projections/as-of. */
  @Post(':name/as-of')
  @HttpCode(202)
  @Roles('admin', 'auditor')
  buildAsOf(@Param('name') name: string, @Body() body: BuildAsOfRequest) {
    if ((body.until === undefined) === (body.untilPosition === undefined))
      throw new BadRequestException('Give exactly one of until and untilPosition');
    if (!this.runner.projections.some((p) => p.name === name))
      throw new BadRequestException(`There is no projection named ${name}`);
    const until = body.until !== undefined ? new Date(body.until) : BigInt(body.untilPosition ?? '0');
    this.runner
      .buildAsOf(name, { name: body.name, until })
      .catch((error: unknown) => this.logger.error({ err: error, build: body.name }, 'as-of build failed'));
    return { name: body.name, projection: name, status: 'rebuilding' };
  }
}
