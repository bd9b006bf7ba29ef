import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingWaitlistHandler } from '../shared/offering-waitlist-handler.js';

type WithdrawApplication = { offeringId: string; applicationId: string };

export class WithdrawApplicationCommand extends BusCommand<WithdrawApplication> {}

/** The family leaves the waitlist; the entry stays in the stream as withdrawn. */
@CommandHandler(WithdrawApplicationCommand)
export class WithdrawApplicationHandler extends OfferingWaitlistHandler<WithdrawApplication> {
  protected waitlistCommand({ applicationId }: WithdrawApplication) {
    return { type: 'WithdrawApplication', data: { applicationId } } as const;
  }

  protected response({ offeringId, applicationId }: WithdrawApplication, revision: number) {
    return { offeringId, applicationId, status: 'withdrawn', revision };
  }
}
