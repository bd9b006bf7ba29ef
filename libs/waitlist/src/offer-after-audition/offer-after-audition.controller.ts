import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { OfferAfterAuditionCommand } from './offer-after-audition.handler.js';
import { OfferAfterAuditionRequest } from './offer-after-audition.request.js';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/audition-offers')
export class OfferAfterAuditionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin')
  offer(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: OfferAfterAuditionRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new OfferAfterAuditionCommand(offeringId, body, context));
  }
}
