import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { AnswerOfferCommand } from './answer-offer.handler.js';

/** The answer is the route; the offer's ids are all it needs, so there is no body to send. */
@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/offers/:offerId')
export class AnswerOfferController {
  constructor(private readonly commands: CommandBus) {}

  @Post('accept')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  accept(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('offerId', new ParseUUIDPipe()) offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand(offeringId, offerId, 'accept', context));
  }

  @Post('decline')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  decline(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('offerId', new ParseUUIDPipe()) offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AnswerOfferCommand(offeringId, offerId, 'decline', context));
  }
}
