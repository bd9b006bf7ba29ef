import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { RevokeWaiverCommand } from './revoke-waiver.handler.js';
import { RevokeWaiverRequest } from './revoke-waiver.request.js';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/fee-waivers/applications/:applicationId/revoke')
export class RevokeWaiverController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  revoke(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() body: RevokeWaiverRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RevokeWaiverCommand(applicationId, body.reason, context));
  }
}
