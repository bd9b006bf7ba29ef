import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { CommandOperation, QueryOperation, refused, shape } from '../http/api-contract.js';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject, IsString, Length } from 'class-validator';
import { CurrentPrincipal, Roles } from '../auth/auth.guard.js';
import type { Principal } from '../auth/principal.js';
import type { CommandContext } from '../commands/command-context.js';
import { CommandContextOf } from '../http/command-context.decorator.js';
import { IsSchoolYear, NoControlCharacters } from '../http/validators.js';
import {
  PolicyBook,
  PolicyChangeNeedsReason,
  PolicyContextNotServed,
  PolicyRuleIsInvalid,
  SchoolYearOfRulesIsInvalid,
  type PolicyContext,
} from './policy-book.js';

export class SetPolicyRulesRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { answerDays: 10 },
    description: "Only the rules that change; the others stay as they are (each checked against its context's rules)",
  })
  @IsObject()
  rules!: Record<string, unknown>;

  @ApiProperty({ example: 'Kulturutvalget, sak 12/2026: ti dagers svarfrist fra høsten 2026' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}

/** Whose rules: a context (the book answers 404 for one it does not serve) and a school year. */
export class PolicyRulesParams {
  @ApiProperty({ enum: ['enrolment', 'waitlist', 'funding'] })
  @IsString()
  context!: string;

  @ApiProperty({ example: '2026-2027' })
  @IsSchoolYear()
  schoolYear!: string;
}

/**
 * The rules of a context (enrolment, waitlist, funding) for one school year in the caller's tenant: read them as in
 * force, or change some of them (admin, with the decision behind it). A change is recorded as `PolicyRulesSet`.
 */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies/:context/:schoolYear')
export class PoliciesController {
  constructor(private readonly book: PolicyBook) {}

  @QueryOperation({
    summary: "A context's rules for a school year (the municipality's decisions over the defaults)",
    response: shape({ context: 'string', schoolYear: 'string', policy: 'object' }),
    refusals: [refused(PolicyContextNotServed, 'not_found'), refused(SchoolYearOfRulesIsInvalid, 'invalid')],
  })
  @Get()
  @Roles('admin', 'caseworker', 'auditor')
  async get(@Param() { context, schoolYear }: PolicyRulesParams, @CurrentPrincipal() principal: Principal) {
    const policy = await this.book.effective(principal.tenant, context as PolicyContext, schoolYear);
    return { context, schoolYear, policy };
  }

  @CommandOperation(
    {
      summary: "Change a context's rules for a school year, with the decision behind it",
      response: shape({ context: 'string', schoolYear: 'string', policy: 'object' }),
      refusals: [
        refused(PolicyContextNotServed, 'not_found'),
        refused(SchoolYearOfRulesIsInvalid, 'invalid'),
        refused(PolicyRuleIsInvalid, 'invalid'),
        refused(PolicyChangeNeedsReason, 'invalid'),
      ],
    },
    'PUT',
  )
  @Put()
  @HttpCode(200)
  @Roles('admin')
  async set(
    @Param() { context, schoolYear }: PolicyRulesParams,
    @Body() body: SetPolicyRulesRequest,
    @CommandContextOf() command: CommandContext,
  ) {
    const { policy } = await this.book.set(command, context as PolicyContext, schoolYear, body.rules, body.reason);
    return { context, schoolYear, policy };
  }
}
