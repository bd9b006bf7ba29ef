import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CommandContextOf, eventIdFor, Roles, type CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

export class OfferAfterAuditionRequest {
  @ApiProperty() @IsUUID() applicationId!: string;
}

/** Deepening/talent offerings admit by audition: the jury's choice gets the free seat, not the queue's head. */
@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/audition-offers')
export class OfferAfterAuditionController {
  constructor(private readonly waitlists: WaitlistStreams) {}

  @Post()
  @Roles('admin')
  async offer(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: OfferAfterAuditionRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const offerId = eventIdFor(context.commandId, 'offer', 0);
    const { revision } = await this.waitlists.execute(
      offeringId,
      { type: 'OfferSeatAfterAudition', data: { offerId, applicationId: body.applicationId } },
      context,
    );
    return { offeringId, offerId, revision };
  }
}
