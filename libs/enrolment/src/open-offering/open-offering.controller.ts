import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext } from '#libs/platform';
import { OpenOfferingRequest } from './open-offering.request.js';
import { OpenOfferingCommand } from './open-offering.handler.js';

@ContextController('enrolment', 'enrolment/offerings')
export class OpenOfferingController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  open(@Body() body: OpenOfferingRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new OpenOfferingCommand({ ...body }, context));
  }
}
