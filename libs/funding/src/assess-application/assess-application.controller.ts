import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { AssessApplicationRequest } from './assess-application.request.js';
import { AssessApplicationCommand } from './assess-application.handler.js';

@ContextController('funding', 'funding/fee-waivers/applications/:applicationId/decision')
export class AssessApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  assess(
    @UuidParam('applicationId') applicationId: string,
    @Body() body: AssessApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AssessApplicationCommand({ applicationId, body }, context));
  }
}
