import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingCommandHandler, type Written } from '../shared/offering-command-handler.js';

type ReturnFromLeave = { offeringId: string; placeId: string };

export class ReturnFromLeaveCommand extends BusCommand<ReturnFromLeave> {}

@CommandHandler(ReturnFromLeaveCommand)
export class ReturnFromLeaveHandler extends OfferingCommandHandler<ReturnFromLeave> {
  protected offeringCommand({ placeId }: ReturnFromLeave) {
    return { type: 'ReturnFromLeave', data: { placeId } } as const;
  }

  protected response({ offeringId, placeId }: ReturnFromLeave, { revision }: Written) {
    return { offeringId, placeId, status: 'active', revision };
  }
}
