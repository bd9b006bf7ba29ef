import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { ApplyForWaiverRequest } from './apply-for-waiver.request.js';
import { ApplyForWaiverCommand } from './apply-for-waiver.handler.js';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/fee-waivers/applications')
export class ApplyForWaiverController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  apply(@Body() body: ApplyForWaiverRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new ApplyForWaiverCommand(body, context));
  }
}
