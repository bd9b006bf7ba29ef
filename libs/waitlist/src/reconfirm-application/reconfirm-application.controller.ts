import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { ReconfirmApplicationCommand } from './reconfirm-application.handler.js';
import { ReconfirmApplicationRequest } from './reconfirm-application.request.js';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/applications/:applicationId/reconfirm')
export class ReconfirmApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  reconfirm(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() body: ReconfirmApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReconfirmApplicationCommand(offeringId, applicationId, body, context));
  }
}
