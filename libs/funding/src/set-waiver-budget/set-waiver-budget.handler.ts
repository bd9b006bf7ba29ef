import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { nok } from '../domain/index.js';
import { FundingStreams } from '../shared/funding-streams.js';
import type { SetWaiverBudgetRequest } from './set-waiver-budget.request.js';

export class SetWaiverBudgetCommand extends BusCommand<{ schoolYear: string; body: SetWaiverBudgetRequest }> {}

/** The yearly waiver budget (admin): grants beyond it need an admin's override. */
@CommandHandler(SetWaiverBudgetCommand)
export class SetWaiverBudgetHandler implements ICommandHandler<SetWaiverBudgetCommand> {
  constructor(private readonly streams: FundingStreams) {}

  async execute({ data: { schoolYear, body }, context }: SetWaiverBudgetCommand) {
    const maxAmount = body.maxAmountNok === undefined ? null : nok(body.maxAmountNok);
    const maxWaivers = body.maxWaivers ?? null;
    const { revision } = await this.streams.budget(
      schoolYear,
      { type: 'SetWaiverBudget', data: { schoolYear, maxAmount, maxWaivers, setBy: context.principal.subject } },
      context,
    );
    return { schoolYear, maxAmountOre: maxAmount, maxWaivers, revision };
  }
}
