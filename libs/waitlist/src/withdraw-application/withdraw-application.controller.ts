import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { WithdrawApplicationCommand } from './withdraw-application.handler.js';

@ContextController('waitlist', 'waitlist/offerings/:offeringId/applications/:applicationId/withdraw')
export class WithdrawApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  withdraw(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('applicationId') applicationId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawApplicationCommand({ offeringId, applicationId }, context));
  }
}
