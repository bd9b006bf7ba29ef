import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingCommandHandler, type Written } from '../shared/offering-command-handler.js';

type CloseOffering = { offeringId: string };

export class CloseOfferingCommand extends BusCommand<CloseOffering> {}

@CommandHandler(CloseOfferingCommand)
export class CloseOfferingHandler extends OfferingCommandHandler<CloseOffering> {
  protected offeringCommand() {
    return { type: 'CloseOffering', data: {} } as const;
  }

  protected response({ offeringId }: CloseOffering, { revision }: Written) {
    return { offeringId, status: 'closed', revision };
  }
}
