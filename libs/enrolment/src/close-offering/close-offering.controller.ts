import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { CloseOfferingCommand } from './close-offering.handler.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/close')
export class CloseOfferingController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin'] })
  close(@UuidParam('offeringId') offeringId: string, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new CloseOfferingCommand({ offeringId }, context));
  }
}
