import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { PersonalDataIntake } from '#libs/personal-data';
import { FundingStreams } from '../shared/funding-streams.js';
import type { RegisterPayerRequest } from './register-payer.request.js';

export class RegisterPayerCommand {
  constructor(
    readonly childId: string,
    readonly body: RegisterPayerRequest,
    readonly context: CommandContext,
  ) {}
}

/**
 * Enrolment events carry no payer: a caseworker registers who pays for a child (by the child's pseudonymous student
 * id), and every place of the child is billed to that payer's household from then on, siblings counted together.
 */
@CommandHandler(RegisterPayerCommand)
export class RegisterPayerHandler implements ICommandHandler<RegisterPayerCommand> {
  constructor(
    private readonly streams: FundingStreams,
    private readonly intake: PersonalDataIntake,
  ) {}

  async execute({ childId, body, context }: RegisterPayerCommand) {
    const { subjectId: payerId } = await this.intake.receive(context.principal.tenant, {
      nationalId: body.payerNationalId,
      field: 'payerNationalId',
    });
    const { revision } = await this.streams.childPayer(
      childId,
      { type: 'RegisterPayer', data: { childId, payerId, registeredBy: context.principal.subject } },
      context,
    );
    return { childId, payerId, revision };
  }
}
