import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StreamCommandHandler, type CommandContext } from '#libs/platform';
import { offeringDecider } from '../domain/index.js';
import { offeringStream } from '../shared/offering-stream.js';

export class CloseOffering {
  constructor(
    readonly offeringId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CloseOffering)
export class CloseOfferingHandler implements ICommandHandler<CloseOffering> {
  constructor(private readonly streams: StreamCommandHandler) {}

  async execute({ offeringId, context }: CloseOffering) {
    const result = await this.streams.handle(
      offeringStream(context.principal.tenant, offeringId),
      offeringDecider,
      { type: 'CloseOffering', data: {}, metadata: { now: context.now.toISOString() } },
      context,
    );
    return { offeringId, status: 'closed', revision: result.revision };
  }
}
