import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { RecordCancelledLessonsCommand } from './record-cancelled-lessons.handler.js';
import { CancelledLessonsRequest } from './record-cancelled-lessons.request.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/cancelled-lessons')
export class RecordCancelledLessonsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('PUT', { status: 200, roles: ['admin', 'caseworker'] })
  record(
    @UuidParam('offeringId') offeringId: string,
    @Body() { schoolYear, term, cancelledLessons }: CancelledLessonsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const lessons = { schoolYear, term, cancelledLessons };
    return this.commands.execute(new RecordCancelledLessonsCommand({ offeringId, lessons }, context));
  }
}
