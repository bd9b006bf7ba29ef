import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingCommandHandler, type Written } from '../shared/offering-command-handler.js';

type ChangeCapacity = { offeringId: string; capacity: number };

export class ChangeCapacityCommand extends BusCommand<ChangeCapacity> {}

@CommandHandler(ChangeCapacityCommand)
export class ChangeCapacityHandler extends OfferingCommandHandler<ChangeCapacity> {
  protected offeringCommand({ capacity }: ChangeCapacity) {
    return { type: 'ChangeCapacity', data: { capacity } } as const;
  }

  protected response({ offeringId, capacity }: ChangeCapacity, { revision }: Written) {
    return { offeringId, capacity, revision };
  }
}
