import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

/** A family's answer to an offer, registered by a case worker; silence is handled by the deadline process. */
@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/offers/:offerId')
export class AnswerOfferController {
  constructor(private readonly waitlists: WaitlistStreams) {}

  @Post('accept')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async accept(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('offerId', new ParseUUIDPipe()) offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.waitlists.execute(offeringId, { type: 'AcceptOffer', data: { offerId } }, context);
    return { offeringId, offerId, status: 'accepted', revision };
  }

  @Post('decline')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async decline(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('offerId', new ParseUUIDPipe()) offerId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.waitlists.execute(offeringId, { type: 'DeclineOffer', data: { offerId } }, context);
    return { offeringId, offerId, status: 'declined', revision };
  }
}
