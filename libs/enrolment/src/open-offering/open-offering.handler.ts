import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, eventIdFor, TenantRegisters } from '#libs/platform';
import type { OfferingDetails } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { assertOfferingInRegisters } from '../shared/offering-in-registers.js';

export class OpenOfferingCommand extends BusCommand<OfferingDetails & { capacity: number }> {}

@CommandHandler(OpenOfferingCommand)
export class OpenOfferingHandler implements ICommandHandler<OpenOfferingCommand> {
  constructor(
    private readonly enrolment: EnrolmentStreams,
    private readonly registers: TenantRegisters,
  ) {}

  async execute({ data: details, context }: OpenOfferingCommand) {
    assertOfferingInRegisters(await this.registers.forCaller(context.principal), details);
    // The id comes from the command id, so a retried request opens the same offering, not a second one.
    const offeringId = eventIdFor(context.commandId, 'offering', 0);
    const result = await this.enrolment.offering(
      offeringId,
      { type: 'OpenOffering', data: { ...details, offeringId } },
      context,
    );
    return { offeringId, revision: result.revision };
  }
}
