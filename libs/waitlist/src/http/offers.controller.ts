import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { AnswerOfferCommand } from '../answer-offer/answer-offer.handler.js';
import { OfferAfterAuditionCommand } from '../offer-after-audition/offer-after-audition.handler.js';
import { OfferAfterAuditionRequest } from '../offer-after-audition/offer-after-audition.request.js';

/** Offers of a seat in an offering: the family's answer to one, and an admin's offer after an audition. */
@ContextController('waitlist', 'waitlist/offerings/:offeringId')
export class OffersController {
  constructor(private readonly commands: CommandBus) {}

  // The answer is the route; the offer's ids are all it needs, so there is no body to send.
  @WriteRoute('POST', {
    path: 'offers/:offerId/accept',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Accept an offer of a seat',
      response: shape({ offeringId: 'uuid', offerId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  accept(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('offerId') offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand({ offeringId, offerId, answer: 'accept' }, context));
  }

  @WriteRoute('POST', {
    path: 'offers/:offerId/decline',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Decline an offer of a seat',
      description: 'The seat goes to the next child in the queue.',
      response: shape({ offeringId: 'uuid', offerId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  decline(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('offerId') offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand({ offeringId, offerId, answer: 'decline' }, context));
  }

  @WriteRoute('POST', {
    path: 'audition-offers',
    roles: ['admin'],
    doc: {
      summary: 'Offer a seat after an audition',
      description: 'For offerings that admit by audition: the application given a seat outside queue order.',
      response: shape({ offeringId: 'uuid', offerId: 'uuid', revision: 'integer?' }),
      errors: [404],
    },
  })
  offerAfterAudition(
    @UuidParam('offeringId') offeringId: string,
    @Body() { applicationId }: OfferAfterAuditionRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new OfferAfterAuditionCommand({ offeringId, applicationId }, context));
  }
}
