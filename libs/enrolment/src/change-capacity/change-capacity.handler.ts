import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class ChangeCapacity {
  constructor(
    readonly offeringId: string,
    readonly capacity: number,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeCapacity)
export class ChangeCapacityHandler implements ICommandHandler<ChangeCapacity> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ offeringId, capacity, context }: ChangeCapacity) {
    const result = await this.enrolment.offering(offeringId, { type: 'ChangeCapacity', data: { capacity } }, context);
    return { offeringId, capacity, revision: result.revision };
  }
}
