import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventIdFor, type CommandContext } from '#libs/platform';
import type { OfferingDetails } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class OpenOfferingCommand {
  constructor(
    readonly details: OfferingDetails & { capacity: number },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenOfferingCommand)
export class OpenOfferingHandler implements ICommandHandler<OpenOfferingCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ details, context }: OpenOfferingCommand) {
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
