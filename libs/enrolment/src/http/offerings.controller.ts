import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { ChangeCapacityCommand } from '../change-capacity/change-capacity.handler.js';
import { ChangeCapacityRequest } from '../change-capacity/change-capacity.request.js';
import { CloseOfferingCommand } from '../close-offering/close-offering.handler.js';
import { OpenOfferingCommand } from '../open-offering/open-offering.handler.js';
import { OpenOfferingRequest } from '../open-offering/open-offering.request.js';
import { RecordCancelledLessonsCommand } from '../record-cancelled-lessons/record-cancelled-lessons.handler.js';
import { CancelledLessonsRequest } from '../record-cancelled-lessons/record-cancelled-lessons.request.js';

/** Offerings: open one, change its capacity, close it, record its cancelled lessons. */
@ContextController('enrolment', 'enrolment/offerings')
export class OfferingsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  open(@Body() body: OpenOfferingRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new OpenOfferingCommand({ ...body }, context));
  }

  @WriteRoute('PUT', { path: ':offeringId/capacity', status: 200, roles: ['admin', 'caseworker'] })
  changeCapacity(
    @UuidParam('offeringId') offeringId: string,
    @Body() { capacity }: ChangeCapacityRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ChangeCapacityCommand({ offeringId, capacity }, context));
  }

  @WriteRoute('POST', { path: ':offeringId/close', status: 200, roles: ['admin'] })
  close(@UuidParam('offeringId') offeringId: string, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new CloseOfferingCommand({ offeringId }, context));
  }

  @WriteRoute('PUT', { path: ':offeringId/cancelled-lessons', status: 200, roles: ['admin', 'caseworker'] })
  recordCancelledLessons(
    @UuidParam('offeringId') offeringId: string,
    @Body() { schoolYear, term, cancelledLessons }: CancelledLessonsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const lessons = { schoolYear, term, cancelledLessons };
    return this.commands.execute(new RecordCancelledLessonsCommand({ offeringId, lessons }, context));
  }
}
