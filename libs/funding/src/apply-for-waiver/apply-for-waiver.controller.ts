import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext } from '#libs/platform';
import { ApplyForWaiverRequest } from './apply-for-waiver.request.js';
import { ApplyForWaiverCommand } from './apply-for-waiver.handler.js';

@ContextController('funding', 'funding/fee-waivers/applications')
export class ApplyForWaiverController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  apply(@Body() body: ApplyForWaiverRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new ApplyForWaiverCommand(body, context));
  }
}
