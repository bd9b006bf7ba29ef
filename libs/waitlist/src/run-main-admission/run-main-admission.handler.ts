import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingWaitlistHandler } from '../shared/offering-waitlist-handler.js';

type RunMainAdmission = { offeringId: string };

export class RunMainAdmissionCommand extends BusCommand<RunMainAdmission> {}

/**
 * Rule 12: opens the coming school year's seats to the queue, in its order; admission then offers them one by one.
 * Once per offering: a second run records nothing and answers the same.
 */
@CommandHandler(RunMainAdmissionCommand)
export class RunMainAdmissionHandler extends OfferingWaitlistHandler<RunMainAdmission> {
  protected waitlistCommand() {
    return { type: 'RunMainAdmission', data: {} } as const;
  }

  protected response({ offeringId }: RunMainAdmission, revision: number) {
    return { offeringId, status: 'run', revision };
  }
}
