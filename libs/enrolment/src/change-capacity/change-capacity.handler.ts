import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class ChangeCapacityCommand {
  constructor(
    readonly offeringId: string,
    readonly capacity: number,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeCapacityCommand)
export class ChangeCapacityHandler implements ICommandHandler<ChangeCapacityCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ offeringId, capacity, context }: ChangeCapacityCommand) {
    const result = await this.enrolment.offering(offeringId, { type: 'ChangeCapacity', data: { capacity } }, context);
    return { offeringId, capacity, revision: result.revision };
  }
}
