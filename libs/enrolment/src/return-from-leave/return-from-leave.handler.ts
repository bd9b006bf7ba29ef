import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class ReturnFromLeaveCommand {
  constructor(
    readonly offeringId: string,
    readonly placeId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ReturnFromLeaveCommand)
export class ReturnFromLeaveHandler implements ICommandHandler<ReturnFromLeaveCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ offeringId, placeId, context }: ReturnFromLeaveCommand) {
    const { revision } = await this.enrolment.offering(
      offeringId,
      { type: 'ReturnFromLeave', data: { placeId } },
      context,
    );
    return { offeringId, placeId, status: 'active', revision };
  }
}
