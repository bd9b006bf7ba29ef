import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

export class ReconfirmRequest {
  @ApiProperty({ example: '2026-2027' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2026-2027' })
  schoolYear!: string;
}

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/applications/:applicationId/reconfirm')
export class ReconfirmApplicationController {
  constructor(private readonly waitlists: WaitlistStreams) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async reconfirm(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() body: ReconfirmRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.waitlists.execute(
      offeringId,
      { type: 'Reconfirm', data: { applicationId, schoolYear: body.schoolYear } },
      context,
    );
    return { offeringId, applicationId, reconfirmedFor: body.schoolYear, revision };
  }
}
