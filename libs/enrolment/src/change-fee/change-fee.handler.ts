import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingCommandHandler, type Written } from '../shared/offering-command-handler.js';

type ChangeFee = { offeringId: string; feePerSemesterOre: number; effectiveFrom: string; reason: string };

export class ChangeFeeCommand extends BusCommand<ChangeFee> {}

@CommandHandler(ChangeFeeCommand)
export class ChangeFeeHandler extends OfferingCommandHandler<ChangeFee> {
  protected offeringCommand({ feePerSemesterOre, effectiveFrom, reason }: ChangeFee) {
    return { type: 'ChangeFee', data: { feePerSemesterOre, effectiveFrom, reason } } as const;
  }

  protected response({ offeringId, feePerSemesterOre, effectiveFrom }: ChangeFee, { events, revision }: Written) {
    // An unchanged fee writes nothing and says so.
    return { offeringId, feePerSemesterOre, effectiveFrom, changed: events.length > 0, revision };
  }
}
