import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventIdFor, type CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';
import type { OfferAfterAuditionRequest } from './offer-after-audition.request.js';

export class OfferAfterAuditionCommand {
  constructor(
    readonly offeringId: string,
    readonly body: OfferAfterAuditionRequest,
    readonly context: CommandContext,
  ) {}
}

/** Deepening/talent offerings admit by audition: the jury's choice gets the free seat, not the queue's head. */
@CommandHandler(OfferAfterAuditionCommand)
export class OfferAfterAuditionHandler implements ICommandHandler<OfferAfterAuditionCommand> {
  constructor(private readonly waitlists: WaitlistStreams) {}

  async execute({ offeringId, body, context }: OfferAfterAuditionCommand) {
    const offerId = eventIdFor(context.commandId, 'offer', 0);
    const { revision } = await this.waitlists.execute(
      offeringId,
      { type: 'OfferSeatAfterAudition', data: { offerId, applicationId: body.applicationId } },
      context,
    );
    return { offeringId, offerId, revision };
  }
}
