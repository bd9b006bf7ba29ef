import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, eventIdFor } from '#libs/platform';
import { PersonalDataIntake } from '#libs/personal-data';
import { nok } from '../domain/index.js';
import { FundingStreams } from '../shared/funding-streams.js';
import { HouseholdIncomes } from '../shared/household-incomes.js';
import type { ApplyForWaiverRequest } from './apply-for-waiver.request.js';

export class ApplyForWaiverCommand extends BusCommand<ApplyForWaiverRequest> {}

/**
 * The payer becomes a pseudonymous subject in the people register; the income is stored there, encrypted under the
 * payer's key, and the event carries only a reference to it.
 */
@CommandHandler(ApplyForWaiverCommand)
export class ApplyForWaiverHandler implements ICommandHandler<ApplyForWaiverCommand> {
  constructor(
    private readonly streams: FundingStreams,
    private readonly intake: PersonalDataIntake,
    private readonly incomes: HouseholdIncomes,
  ) {}

  async execute({ data: body, context }: ApplyForWaiverCommand) {
    const tenant = context.principal.tenant;
    const applicationId = eventIdFor(context.commandId, 'fee-waiver-application', 0);
    const apply = (householdId: string, incomeRef: string) => ({
      type: 'ApplyForWaiver' as const,
      data: { applicationId, householdId, schoolYear: body.schoolYear, householdSize: body.householdSize, incomeRef },
    });
    const { subjectId: householdId } = await this.intake.receive(tenant, {
      nationalId: body.payerNationalId,
      field: 'payerNationalId',
      // Refuse what the decider would refuse before any personal data is stored.
      beforeStoring: () =>
        this.streams.checkApplication(applicationId, apply('not-yet-known', 'not-yet-stored'), context),
    });
    const incomeRef = await this.incomes.record(tenant, householdId, applicationId, nok(body.householdIncomeNok));
    const { revision } = await this.streams.application(applicationId, apply(householdId, incomeRef), context);
    return { applicationId, householdId, schoolYear: body.schoolYear, status: 'Pending', revision };
  }
}
