import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { EnrolStudentRequest } from './enrol-student.request.js';
import { EnrolStudentCommand } from './enrol-student.handler.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/places')
export class EnrolStudentController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  enrol(
    @UuidParam('offeringId') offeringId: string,
    @Body() body: EnrolStudentRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new EnrolStudentCommand({ ...body, offeringId, viaOfferId: null }, context));
  }
}
