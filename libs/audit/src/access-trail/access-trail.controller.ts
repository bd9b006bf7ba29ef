import { Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { CallerIsOperator, CurrentPrincipal, type Principal, shape } from '#libs/platform';
import { OptionalOneOf, OptionalPositiveInt, OptionalText } from '#libs/query';
import { AccessTrailQuery, type TrailOutcome } from './access-trail.query.js';
import { AuditController, AuditRead } from '../shared/audit-http.js';

export class AccessTrailParams {
  @OptionalText(200, { description: 'the actor (token subject)' })
  actor?: string;

  @OptionalOneOf(['admin', 'caseworker', 'auditor', 'integration', 'system'])
  role?: string;

  @OptionalOneOf(['read', 'forbidden', 'unauthenticated'])
  outcome?: TrailOutcome;

  @OptionalText(200, { description: 'part of the action: a route like "GET /audit" or what was read' })
  action?: string;

  @OptionalText(100, { description: 'the pseudonymous subject whose data was read' })
  subject?: string;

  @ApiPropertyOptional({ example: '2025-09-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2025-10-01T00:00:00Z', description: 'exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @OptionalPositiveInt({ default: 100 }, 1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,19}$/)
  before?: string;
}

/** Who read personal data and who was refused what, for auditors; the trail holds no personal data itself. */
@AuditController('access-trail')
export class AccessTrailController {
  constructor(private readonly trail: AccessTrailQuery) {}

  /** The caller's tenant's rows; an operator's token (OPERATOR_TENANT) also sees the calls without a valid token. */
  @AuditRead(undefined, {
    summary: 'The access trail: who read personal data or was refused, when, and why',
    response: shape({ items: 'object[]' }),
  })
  page(
    @Query() params: AccessTrailParams,
    @CurrentPrincipal() principal: Principal,
    @CallerIsOperator() operator: boolean,
  ) {
    const { limit, before, from, to, ...filter } = params;
    return this.trail.page(
      { tenant: principal.tenant, operator },
      { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { limit: limit ?? 100, before },
    );
  }
}
