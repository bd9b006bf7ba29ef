import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class PutOnLeaveCommand {
  constructor(
    readonly offeringId: string,
    readonly placeId: string,
    readonly from: string,
    readonly until: string | null,
    readonly context: CommandContext,
  ) {}
}

/** Leave keeps the seat: the student comes back to it. */
@CommandHandler(PutOnLeaveCommand)
export class PutOnLeaveHandler implements ICommandHandler<PutOnLeaveCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ offeringId, placeId, from, until, context }: PutOnLeaveCommand) {
    const { revision } = await this.enrolment.offering(
      offeringId,
      { type: 'PutOnLeave', data: { placeId, from, until } },
      context,
    );
    return { offeringId, placeId, status: 'on leave', revision };
  }
}
