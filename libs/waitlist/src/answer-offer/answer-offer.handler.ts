import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

export type OfferAnswer = 'accept' | 'decline';

export class AnswerOfferCommand {
  constructor(
    readonly offeringId: string,
    readonly offerId: string,
    readonly answer: OfferAnswer,
    readonly context: CommandContext,
  ) {}
}

/** A family's answer to an offer, registered by a case worker; silence is handled by the deadline process. */
@CommandHandler(AnswerOfferCommand)
export class AnswerOfferHandler implements ICommandHandler<AnswerOfferCommand> {
  constructor(private readonly waitlists: WaitlistStreams) {}

  async execute({ offeringId, offerId, answer, context }: AnswerOfferCommand) {
    const type = answer === 'accept' ? 'AcceptOffer' : 'DeclineOffer';
    const { revision } = await this.waitlists.execute(offeringId, { type, data: { offerId } }, context);
    return { offeringId, offerId, status: answer === 'accept' ? 'accepted' : 'declined', revision };
  }
}
