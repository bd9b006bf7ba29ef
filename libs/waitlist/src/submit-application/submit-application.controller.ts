import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { SubmitApplicationCommand } from './submit-application.handler.js';
import { SubmitApplicationRequest } from './submit-application.request.js';

@ContextController('waitlist', 'waitlist/offerings/:offeringId/applications')
export class SubmitApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  submit(
    @UuidParam('offeringId') offeringId: string,
    @Body() body: SubmitApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SubmitApplicationCommand({ offeringId, body }, context));
  }
}
