import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { PersonalDataIntake } from '#libs/personal-data';
import { FundingStreams } from '../shared/funding-streams.js';

export class RegisterPayerCommand extends BusCommand<{ childId: string; payerNationalId: string }> {}

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

  async execute({ data: { childId, payerNationalId }, context }: RegisterPayerCommand) {
    const { subjectId: payerId } = await this.intake.receive(context.principal.tenant, {
      nationalId: payerNationalId,
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
