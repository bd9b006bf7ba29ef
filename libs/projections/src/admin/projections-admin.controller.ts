import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CallerIsOperator,
  CurrentPrincipal,
  newCommandContext,
  Roles,
  type Principal,
  CommandOperation,
  shape,
} from '#libs/platform';
import { AsOfBuildConflict } from '../runner/as-of-build.js';
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

  @CommandOperation({
    summary: 'Retry a failed projection from the event it stopped at',
    status: 200,
    response: shape({}, { additionalProperties: true }),
    errors: [404],
  })
  @Post(':name/retry')
  @HttpCode(200)
  @Roles('admin')
  retry(@Param('name') name: string, @CurrentPrincipal() principal: Principal, @CallerIsOperator() operator: boolean) {
    return this.admin.retry(name, { tenant: principal.tenant, operator });
  }

  @CommandOperation({
    summary: 'Skip the event a projection failed on, with a reason (recorded)',
    status: 200,
    response: shape({}, { additionalProperties: true }),
    errors: [404],
  })
  @Post(':name/skip')
  @HttpCode(200)
  @Roles('admin')
  skip(@Param('name') name: string, @Body() body: SkipEventRequest, @CurrentPrincipal() principal: Principal) {
    return this.admin.skip(name, newCommandContext(principal, { now: new Date(), reason: body.reason }));
  }

  /** Drops an as-of build of the caller's tenant, so the next request builds it afresh (after an import, ADR 0014). */
  @CommandOperation({ summary: 'Delete an as-of build', status: 204, errors: [404] }, 'DELETE')
  @Delete('as-of/:build')
  @HttpCode(204)
  @Roles('admin')
  async dropAsOf(@Param('build') build: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.admin.dropAsOfBuild(principal.tenant, build);
  }

  /**
   * Checks the request and sets the build up, then answers 202 at once and builds in the background, from the
   * caller's tenant's events only; the build's name is the tenant's own. GET /projections/as-of/:build (the Location)
   * reports its state: building, ready, or failed with the error. Asking again for the same build resumes a failed one.
   */
  @CommandOperation({
    summary: 'Build a read model as of an instant or position (runs in the background)',
    status: 202,
    response: shape({ name: 'string' }),
    errors: [404],
  })
  @Post(':name/as-of')
  @HttpCode(202)
  @Roles('admin', 'auditor')
  async buildAsOf(
    @Param('name') name: string,
    @Body() body: BuildAsOfRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if ((body.until === undefined) === (body.untilPosition === undefined))
      throw new BadRequestException({
        detail: 'Give exactly one of until and untilPosition',
        errors: [{ field: 'until', message: 'give exactly one of until and untilPosition' }],
      });
    if (!this.runner.projections.some((p) => p.name === name))
      throw new BadRequestException(`There is no projection named ${name}`);
    const until = body.until !== undefined ? new Date(body.until) : BigInt(body.untilPosition ?? '0');
    if (until instanceof Date && until.getTime() > Date.now())
      throw new BadRequestException(`until ${body.until ?? ''} has not happened yet: an as-of build cannot look ahead`);
    const tenant = principal.tenant;
    let started;
    try {
      started = await this.runner.startAsOf(name, { tenant, name: body.name, until });
    } catch (error) {
      if (error instanceof AsOfBuildConflict) throw new ConflictException(error.message);
      throw error;
    }
    started.done?.catch((error: unknown) =>
      // The failure is in the build's row, where GET /projections/as-of/:name reports it; the log is for operators.
      this.logger.error({ err: error, tenant, build: body.name }, 'as-of build failed'),
    );
    void reply.header('location', `/projections/as-of/${body.name}`);
    return this.admin.asOfBuild(tenant, body.name);
  }
}
