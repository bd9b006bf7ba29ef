import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { SubmitApplicationDto } from './submit-application.dto.js';
import { SubmitApplication } from './submit-application.handler.js';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/applications')
export class SubmitApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  submit(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: SubmitApplicationDto,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SubmitApplication(offeringId, body, context));
  }
}
