import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { SubmitApplicationCommand } from './submit-application.handler.js';
import { SubmitApplicationRequest } from './submit-application.request.js';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/applications')
export class SubmitApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  submit(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: SubmitApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SubmitApplicationCommand(offeringId, body, context));
  }
}
