import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventIdFor, StreamCommandHandler, type CommandContext } from '#libs/platform';
import { offeringDecider, type OfferingDetails } from '../domain/index.js';
import { offeringStream } from '../shared/offering-stream.js';

export class OpenOffering {
  constructor(
    readonly details: OfferingDetails & { capacity: number },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenOffering)
export class OpenOfferingHandler implements ICommandHandler<OpenOffering> {
  constructor(private readonly streams: StreamCommandHandler) {}

  async execute({ details, context }: OpenOffering) {
    // The id comes from the command id, so a retried request opens the same offering, not a second one.
    const offeringId = eventIdFor(context.commandId, 'offering', 0);
    const result = await this.streams.handle(
      offeringStream(context.principal.tenant, offeringId),
      offeringDecider,
      { type: 'OpenOffering', data: { ...details, offeringId }, metadata: { now: context.now.toISOString() } },
      context,
    );
    return { offeringId, revision: result.revision };
  }
}
