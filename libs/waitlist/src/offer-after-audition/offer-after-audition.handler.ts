import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand, eventIdFor, type CommandContext } from '#libs/platform';
import { OfferingWaitlistHandler } from '../shared/offering-waitlist-handler.js';

type OfferAfterAudition = { offeringId: string; applicationId: string };

export class OfferAfterAuditionCommand extends BusCommand<OfferAfterAudition> {}

/** Deepening/talent offerings admit by audition: the jury's choice gets the free seat, not the queue's head. */
@CommandHandler(OfferAfterAuditionCommand)
export class OfferAfterAuditionHandler extends OfferingWaitlistHandler<OfferAfterAudition> {
  protected waitlistCommand({ applicationId }: OfferAfterAudition, context: CommandContext) {
    return { type: 'OfferSeatAfterAudition', data: { offerId: offerIdOf(context), applicationId } } as const;
  }

  protected response({ offeringId }: OfferAfterAudition, revision: number, context: CommandContext) {
    return { offeringId, offerId: offerIdOf(context), revision };
  }
}

// From the command id, so a retried request makes the same offer.
const offerIdOf = (context: CommandContext) => eventIdFor(context.commandId, 'offer', 0);
