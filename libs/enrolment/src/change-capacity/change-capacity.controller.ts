import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { ChangeCapacityRequest } from './change-capacity.request.js';
import { ChangeCapacityCommand } from './change-capacity.handler.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/capacity')
export class ChangeCapacityController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('PUT', { status: 200, roles: ['admin', 'caseworker'] })
  change(
    @UuidParam('offeringId') offeringId: string,
    @Body() { capacity }: ChangeCapacityRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ChangeCapacityCommand({ offeringId, capacity }, context));
  }
}
