import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/applications/:applicationId/withdraw')
export class WithdrawApplicationController {
  constructor(private readonly waitlists: WaitlistStreams) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async withdraw(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.waitlists.execute(
      offeringId,
      { type: 'WithdrawApplication', data: { applicationId } },
      context,
    );
    return { offeringId, applicationId, status: 'withdrawn', revision };
  }
}
