import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { assertValidFodselsnummer, PeopleRegister } from '#libs/personal-data';
import { FundingStreams } from '../shared/funding-streams.js';

export class RegisterPayerRequest {
  @ApiProperty({ description: "the paying guardian's fødselsnummer or D-number, 11 digits" })
  @Matches(/^\d{11}$/, { message: 'payerNationalId must be 11 digits' })
  payerNationalId!: string;
}

/**
 * Enrolment events carry no payer: a caseworker registers who pays for a child (by the child's pseudonymous student
 * id), and every place of the child is billed to that payer's household from then on, siblings counted together.
 */
@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/children/:childId/payer')
export class RegisterPayerController {
  private readonly acceptSynthetic = process.env.ACCEPT_SYNTHETIC_NATIONAL_IDS === '1';

  constructor(
    private readonly streams: FundingStreams,
    private readonly people: PeopleRegister,
  ) {}

  @Put()
  @Roles('admin', 'caseworker')
  async register(
    @Param('childId', new ParseUUIDPipe()) childId: string,
    @Body() body: RegisterPayerRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const tenant = context.principal.tenant;
    assertValidFodselsnummer(body.payerNationalId, 'payerNationalId', { acceptSynthetic: this.acceptSynthetic });
    const { subjectId: payerId } = await this.people.subjectFor(tenant, body.payerNationalId);
    await this.people.record(tenant, payerId, { nationalId: body.payerNationalId });
    const { revision } = await this.streams.childPayer(
      childId,
      { type: 'RegisterPayer', data: { childId, payerId, registeredBy: context.principal.subject } },
      context,
    );
    return { childId, payerId, revision };
  }
}
