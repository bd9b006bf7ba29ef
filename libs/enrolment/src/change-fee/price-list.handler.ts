import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '#libs/decider';
import { BusCommand, stepOf } from '#libs/platform';
import { OfferingIsInvalid, type ChangeFee } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

type PriceList = {
  effectiveFrom: string;
  reason: string;
  fees: readonly { offeringId: string; feePerSemesterOre: number }[];
};

export class SetPriceListCommand extends BusCommand<PriceList> {}

/**
 * Every offering is checked before any is written, so a refused fee (an unknown offering, a semester under way)
 * changes none. The writes are one per offering; a retry after a crash between them finds the fees already set
 * unchanged (the same fee again records nothing) and writes the rest.
 */
@CommandHandler(SetPriceListCommand)
export class SetPriceListHandler implements ICommandHandler<SetPriceListCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ data: { effectiveFrom, reason, fees }, context }: SetPriceListCommand) {
    const offeringIds = fees.map((f) => f.offeringId);
    const twice = offeringIds.find((id, i) => offeringIds.indexOf(id) !== i);
    if (twice) throw new OfferingIsInvalid(`Offering ${twice} is in the price list twice`);
    const commands = fees.map(({ offeringId, feePerSemesterOre }) => {
      const command: Omit<ChangeFee, 'metadata'> = {
        type: 'ChangeFee',
        data: { feePerSemesterOre, effectiveFrom, reason },
      };
      return { offeringId, command };
    });
    for (const { offeringId, command } of commands) {
      await this.enrolment.checkOffering(offeringId, command, context).catch((error: unknown) => {
        // The refusal keeps its kind and code; the message says which of the list's offerings it is about.
        if (error instanceof DomainError) error.message = `Offering ${offeringId}: ${error.message}`;
        throw error;
      });
    }
    const changed: string[] = [];
    for (const { offeringId, command } of commands) {
      const { events } = await this.enrolment.offering(offeringId, command, stepOf(context, `fee:${offeringId}`));
      if (events.length > 0) changed.push(offeringId);
    }
    return { effectiveFrom, offerings: fees.length, changed };
  }
}
