import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { AssessApplicationRequest } from './assess-application.request.js';
import { AssessApplicationCommand } from './assess-application.handler.js';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/fee-waivers/applications/:applicationId/decision')
export class AssessApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  assess(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() body: AssessApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AssessApplicationCommand(applicationId, body, context));
  }
}
