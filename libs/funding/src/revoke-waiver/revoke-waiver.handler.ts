import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, stepOf } from '#libs/platform';
import { WaiverNotAllocated } from '../domain/index.js';
import { FundingStreams } from '../shared/funding-streams.js';

export class RevokeWaiverCommand extends BusCommand<{ applicationId: string; reason: string }> {}

/** A revoked waiver stops reducing fees from the semesters not yet over, and frees its place in the budget count. */
@CommandHandler(RevokeWaiverCommand)
export class RevokeWaiverHandler implements ICommandHandler<RevokeWaiverCommand> {
  constructor(private readonly streams: FundingStreams) {}

  async execute({ data: { applicationId, reason }, context }: RevokeWaiverCommand) {
    const { events, revision } = await this.streams.application(
      applicationId,
      { type: 'RevokeWaiver', data: { applicationId, revokedBy: context.principal.subject, reason } },
      context,
    );
    const revoked = events.find((e) => e.type === 'FeeWaiverRevoked');
    if (revoked) {
      const { schoolYear } = revoked.data;
      try {
        await this.streams.budget(
          schoolYear,
          { type: 'ReleaseWaiver', data: { schoolYear, applicationId, reason } },
          stepOf(context, 'release'),
        );
      } catch (error) {
        // A waiver granted before allocations were tracked holds none: there is nothing to release.
        if (!(error instanceof WaiverNotAllocated)) throw error;
      }
    }
    return { applicationId, status: 'Revoked', revision };
  }
}
