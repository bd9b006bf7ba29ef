import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingCommandHandler, type Written } from '../shared/offering-command-handler.js';

type PutOnLeave = { offeringId: string; placeId: string; from: string; until: string | null };

export class PutOnLeaveCommand extends BusCommand<PutOnLeave> {}

/** Leave keeps the seat: the student comes back to it. */
@CommandHandler(PutOnLeaveCommand)
export class PutOnLeaveHandler extends OfferingCommandHandler<PutOnLeave> {
  protected offeringCommand({ placeId, from, until }: PutOnLeave) {
    return { type: 'PutOnLeave', data: { placeId, from, until } } as const;
  }

  protected response({ offeringId, placeId }: PutOnLeave, { revision }: Written) {
    return { offeringId, placeId, status: 'on leave', revision };
  }
}
