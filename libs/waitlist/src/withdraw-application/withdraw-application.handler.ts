import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

export class WithdrawApplicationCommand {
  constructor(
    readonly offeringId: string,
    readonly applicationId: string,
    readonly context: CommandContext,
  ) {}
}

/** The family leaves the waitlist; the entry stays in the stream as withdrawn. */
@CommandHandler(WithdrawApplicationCommand)
export class WithdrawApplicationHandler implements ICommandHandler<WithdrawApplicationCommand> {
  constructor(private readonly waitlists: WaitlistStreams) {}

  async execute({ offeringId, applicationId, context }: WithdrawApplicationCommand) {
    const { revision } = await this.waitlists.execute(
      offeringId,
      { type: 'WithdrawApplication', data: { applicationId } },
      context,
    );
    return { offeringId, applicationId, status: 'withdrawn', revision };
  }
}
