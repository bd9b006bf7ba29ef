import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventIdFor, type CommandContext } from '#libs/platform';
import type { OfferingDetails } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class OpenOffering {
  constructor(
    readonly details: OfferingDetails & { capacity: number },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenOffering)
export class OpenOfferingHandler implements ICommandHandler<OpenOffering> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ details, context }: OpenOffering) {
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
