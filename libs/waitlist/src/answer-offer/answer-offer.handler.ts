import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import { OfferingWaitlistHandler } from '../shared/offering-waitlist-handler.js';

export type OfferAnswer = 'accept' | 'decline';
type AnswerOffer = { offeringId: string; offerId: string; answer: OfferAnswer };

export class AnswerOfferCommand extends BusCommand<AnswerOffer> {}

/** A family's answer to an offer, registered by a case worker; silence is handled by the deadline process. */
@CommandHandler(AnswerOfferCommand)
export class AnswerOfferHandler extends OfferingWaitlistHandler<AnswerOffer> {
  protected waitlistCommand({ offerId, answer }: AnswerOffer) {
    return { type: answer === 'accept' ? 'AcceptOffer' : 'DeclineOffer', data: { offerId } } as const;
  }

  protected response({ offeringId, offerId, answer }: AnswerOffer, revision: number) {
    return { offeringId, offerId, status: answer === 'accept' ? 'accepted' : 'declined', revision };
  }
}
