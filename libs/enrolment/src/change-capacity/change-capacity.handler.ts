import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StreamCommandHandler, type CommandContext } from '#libs/platform';
import { offeringDecider } from '../domain/index.js';
import { offeringStream } from '../shared/offering-stream.js';

export class ChangeCapacity {
  constructor(
    readonly offeringId: string,
    readonly capacity: number,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeCapacity)
export class ChangeCapacityHandler implements ICommandHandler<ChangeCapacity> {
  constructor(private readonly streams: StreamCommandHandler) {}

  async execute({ offeringId, capacity, context }: ChangeCapacity) {
    const result = await this.streams.handle(
      offeringStream(context.principal.tenant, offeringId),
      offeringDecider,
      { type: 'ChangeCapacity', data: { capacity }, metadata: { now: context.now.toISOString() } },
      context,
    );
    return { offeringId, capacity, revision: result.revision };
  }
}
