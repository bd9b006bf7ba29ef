import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { PutOnLeaveCommand } from './put-on-leave.handler.js';
import { PutOnLeaveRequest } from './put-on-leave.request.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/places/:placeId/leave')
export class PutOnLeaveController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  putOnLeave(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @Body() { from, until }: PutOnLeaveRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new PutOnLeaveCommand({ offeringId, placeId, from, until: until ?? null }, context));
  }
}
