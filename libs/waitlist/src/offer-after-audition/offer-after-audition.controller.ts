import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { OfferAfterAuditionCommand } from './offer-after-audition.handler.js';
import { OfferAfterAuditionRequest } from './offer-after-audition.request.js';

@ContextController('waitlist', 'waitlist/offerings/:offeringId/audition-offers')
export class OfferAfterAuditionController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin'] })
  offer(
    @UuidParam('offeringId') offeringId: string,
    @Body() { applicationId }: OfferAfterAuditionRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new OfferAfterAuditionCommand({ offeringId, applicationId }, context));
  }
}
