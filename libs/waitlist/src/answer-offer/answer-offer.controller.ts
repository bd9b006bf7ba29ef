import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { AnswerOfferCommand } from './answer-offer.handler.js';

/** The answer is the route; the offer's ids are all it needs, so there is no body to send. */
@ContextController('waitlist', 'waitlist/offerings/:offeringId/offers/:offerId')
export class AnswerOfferController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { path: 'accept', status: 200, roles: ['admin', 'caseworker'] })
  accept(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('offerId') offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand({ offeringId, offerId, answer: 'accept' }, context));
  }

  @WriteRoute('POST', { path: 'decline', status: 200, roles: ['admin', 'caseworker'] })
  decline(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('offerId') offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand({ offeringId, offerId, answer: 'decline' }, context));
  }
}
