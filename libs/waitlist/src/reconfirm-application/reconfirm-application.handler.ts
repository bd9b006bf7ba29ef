import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingWaitlistHandler } from '../shared/offering-waitlist-handler.js';

type ReconfirmApplication = { offeringId: string; applicationId: string; schoolYear: string };

export class ReconfirmApplicationCommand extends BusCommand<ReconfirmApplication> {}

/** Keeps a waiting application for the coming school year; unconfirmed ones are removed after the deadline. */
@CommandHandler(ReconfirmApplicationCommand)
export class ReconfirmApplicationHandler extends OfferingWaitlistHandler<ReconfirmApplication> {
  protected waitlistCommand({ applicationId, schoolYear }: ReconfirmApplication) {
    return { type: 'Reconfirm', data: { applicationId, schoolYear } } as const;
  }

  protected response({ offeringId, applicationId, schoolYear }: ReconfirmApplication, revision: number) {
    return { offeringId, applicationId, reconfirmedFor: schoolYear, revision };
  }
}
