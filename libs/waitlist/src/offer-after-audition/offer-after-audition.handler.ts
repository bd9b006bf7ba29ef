import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EnrolmentStreams } from '#libs/enrolment';
import { BusCommand, eventIdFor, stepOf, type CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

type OfferAfterAudition = { offeringId: string; applicationId: string };

export class OfferAfterAuditionCommand extends BusCommand<OfferAfterAudition> {}

/**
 * Deepening/talent offerings admit by audition: the jury's choice gets the free seat, not the queue's head. As with
 * every offer, the offering sets the seat aside first (refused when none is free); if the waitlist then refuses the
 * offer (a racing answer), the seat is released again.
 */
@CommandHandler(OfferAfterAuditionCommand)
export class OfferAfterAuditionHandler implements ICommandHandler<OfferAfterAuditionCommand> {
  constructor(
    private readonly waitlists: WaitlistStreams,
    private readonly enrolment: EnrolmentStreams,
  ) {}

  async execute({ data: { offeringId, applicationId }, context }: OfferAfterAuditionCommand) {
    const offerId = offerIdOf(context);
    const offer = { type: 'OfferSeatAfterAudition' as const, data: { offerId, applicationId } };
    await this.waitlists.check(offeringId, offer, context);
    await this.enrolment.offering(offeringId, { type: 'ReserveSeat', data: { offerId } }, stepOf(context, 'reserve'));
    try {
      const { revision } = await this.waitlists.execute(offeringId, offer, context);
      return { offeringId, offerId, revision };
    } catch (error) {
      const release = { type: 'ReleaseReservation' as const, data: { offerId, reason: 'nobody to offer' as const } };
      await this.enrolment.offering(offeringId, release, stepOf(context, 'release'));
      throw error;
    }
  }
}

// From the command id, so a retried request makes the same offer.
const offerIdOf = (context: CommandContext) => eventIdFor(context.commandId, 'offer', 0);
