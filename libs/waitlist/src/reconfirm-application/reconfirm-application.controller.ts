import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { ReconfirmApplicationCommand } from './reconfirm-application.handler.js';
import { ReconfirmApplicationRequest } from './reconfirm-application.request.js';

@ContextController('waitlist', 'waitlist/offerings/:offeringId/applications/:applicationId/reconfirm')
export class ReconfirmApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  reconfirm(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('applicationId') applicationId: string,
    @Body() { schoolYear }: ReconfirmApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReconfirmApplicationCommand({ offeringId, applicationId, schoolYear }, context));
  }
}
