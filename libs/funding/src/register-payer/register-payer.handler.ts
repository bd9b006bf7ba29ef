import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { refusal } from '#libs/decider';
import { studentStream } from '#libs/enrolment';
import type { EventStore } from '#libs/event-store';
import { BusCommand, EVENT_STORE } from '#libs/platform';
import { PersonalDataIntake, PersonalDataVault, UnknownDataSubject } from '#libs/personal-data';
import { FundingStreams } from '../shared/funding-streams.js';

export class RegisterPayerCommand extends BusCommand<{ childId: string; payerNationalId: string }> {}

/** The child is not known in the caller's tenant (another tenant's child is as unknown as none). */
export class ChildNotFound extends refusal('not_found', (childId: string) => ({
  message: `No child ${childId} is known here: neither in the people register nor enrolled`,
  field: 'childId',
})) {}

/**
 * Enrolment events carry no payer: a caseworker registers who pays for a child (by the child's pseudonymous student
 * id), and every place of the child is billed to that payer's household from then on, siblings counted together.
 * The child must exist in the caller's tenant first; otherwise nothing is written, not even the payer's number.
 */
@CommandHandler(RegisterPayerCommand)
export class RegisterPayerHandler implements ICommandHandler<RegisterPayerCommand> {
  constructor(
    private readonly streams: FundingStreams,
    private readonly intake: PersonalDataIntake,
    private readonly vault: PersonalDataVault,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ data: { childId, payerNationalId }, context }: RegisterPayerCommand) {
    const tenant = context.principal.tenant;
    if (!(await this.childExists(tenant, childId))) throw new ChildNotFound(childId);
    const { subjectId: payerId } = await this.intake.receive(tenant, {
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

  /**
   * Where a child exists in a tenant: as a data subject of its people register (every child who applied to the
   * waitlist is one), or as a student enrolled directly (a student stream), both of the caller's tenant only.
   */
  private async childExists(tenant: string, childId: string): Promise<boolean> {
    try {
      await this.vault.isErased(tenant, childId);
      return true;
    } catch (error) {
      if (!(error instanceof UnknownDataSubject)) throw error;
    }
    const enrolled = await this.store.readStream(studentStream(tenant, childId), { maxCount: 1 });
    return enrolled.length > 0;
  }
}
