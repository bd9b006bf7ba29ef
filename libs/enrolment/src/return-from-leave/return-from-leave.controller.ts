import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { ReturnFromLeaveCommand } from './return-from-leave.handler.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/places/:placeId/return')
export class ReturnFromLeaveController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  returnFromLeave(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReturnFromLeaveCommand({ offeringId, placeId }, context));
  }
}
