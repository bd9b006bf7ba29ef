import { HttpCode, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import {
  Clock,
  CommandContextOf,
  CurrentPrincipal,
  Roles,
  type CommandContext,
  type Principal,
  CommandOperation,
  shape,
} from '#libs/platform';
import { RetentionRun } from './retention-run.js';
import { AuditController, AuditRead } from '../shared/audit-http.js';

export class RetentionParams {
  @ApiPropertyOptional({ description: 'judge as of this instant (default: now), e.g. to see what falls due next year' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

/** The retention policy, a dry run that lists what an erasure run would shred, and the run itself (admin). */
@AuditController('retention')
export class RetentionController {
  constructor(
    private readonly retention: RetentionRun,
    private readonly clock: Clock,
  ) {}

  @AuditRead('policy', {
    summary: 'The retention policy: how long each kind of personal data is kept',
    response: shape({}, { additionalProperties: true }),
  })
  policy() {
    return this.retention.policy;
  }

  @AuditRead('dry-run', {
    summary: 'What the retention run would erase now (or as of `at`), without erasing it',
    response: shape({}, { additionalProperties: true }),
  })
  dryRun(@Query() params: RetentionParams, @CurrentPrincipal() principal: Principal) {
    return this.retention.dryRun(principal.tenant, params.at ? new Date(params.at) : this.clock.now());
  }

  /** Erases what is due now; each erasure is a `PersonalDataErased` event with the rule as its reason. */
  @CommandOperation({
    summary: 'Run retention: erase the personal data whose time is up',
    status: 200,
    response: shape({}, { additionalProperties: true }),
  })
  @Post('run')
  @HttpCode(200)
  @Roles('admin')
  run(@CommandContextOf() context: CommandContext) {
    return this.retention.execute(context);
  }
}
