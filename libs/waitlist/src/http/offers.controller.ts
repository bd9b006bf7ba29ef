import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { AnswerOfferCommand } from '../answer-offer/answer-offer.handler.js';
import { OfferAfterAuditionCommand } from '../offer-after-audition/offer-after-audition.handler.js';
import { OfferAfterAuditionRequest } from '../offer-after-audition/offer-after-audition.request.js';

/** Offers of a seat in an offering: the family's answer to one, and an admin's offer after an audition. */
@ContextController('waitlist', 'waitlist/offerings/:offeringId')
export class OffersController {
  constructor(private readonly commands: CommandBus) {}

  // The answer is the route; the offer's ids are all it needs, so there is no body to send.
  @WriteRoute('POST', { path: 'offers/:offerId/accept', status: 200, roles: ['admin', 'caseworker'] })
  accept(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('offerId') offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand({ offeringId, offerId, answer: 'accept' }, context));
  }

  @WriteRoute('POST', { path: 'offers/:offerId/decline', status: 200, roles: ['admin', 'caseworker'] })
  decline(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('offerId') offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand({ offeringId, offerId, answer: 'decline' }, context));
  }

  @WriteRoute('POST', { path: 'audition-offers', roles: ['admin'] })
  offerAfterAudition(
    @UuidParam('offeringId') offeringId: string,
    @Body() { applicationId }: OfferAfterAuditionRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new OfferAfterAuditionCommand({ offeringId, applicationId }, context));
  }
}
