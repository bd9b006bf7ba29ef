import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { EnrolStudentCommand } from '../enrol-student/enrol-student.handler.js';
import { EnrolStudentRequest, personIdOf } from '../enrol-student/enrol-student.request.js';
import { PutOnLeaveCommand } from '../put-on-leave/put-on-leave.handler.js';
import { PutOnLeaveRequest } from '../put-on-leave/put-on-leave.request.js';
import { ReturnFromLeaveCommand } from '../return-from-leave/return-from-leave.handler.js';
import { TransferPlaceCommand } from '../transfer-place/transfer-place.handler.js';
import { TransferPlaceRequest } from '../transfer-place/transfer-place.request.js';
import { WithdrawPlaceCommand } from '../withdraw-place/withdraw-place.handler.js';
import { WithdrawPlaceRequest } from '../withdraw-place/withdraw-place.request.js';

/** A student's places in an offering: enrol, withdraw, leave and return, transfer to another offering. */
@ContextController('enrolment', 'enrolment/offerings/:offeringId/places')
export class PlacesController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', {
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Enrol a student in an offering (a place)',
      response: shape({ offeringId: 'uuid', placeId: 'uuid', studentId: 'uuid', revision: 'integer?' }),
      errors: [404],
    },
  })
  enrol(
    @UuidParam('offeringId') offeringId: string,
    @Body() body: EnrolStudentRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { personId, studentId: older, ...student } = body;
    const studentId = personIdOf(personId, older);
    return this.commands.execute(
      new EnrolStudentCommand({ ...student, studentId, offeringId, viaOfferId: null }, context),
    );
  }

  @WriteRoute('POST', {
    path: ':placeId/withdraw',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Withdraw a student from a place',
      description: 'After the withdrawal deadline the semester is still billed (afterDeadline).',
      response: shape({ offeringId: 'uuid', placeId: 'uuid', afterDeadline: 'boolean?', revision: 'integer?' }),
      errors: [404],
    },
  })
  withdraw(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @Body() { effectiveOn }: WithdrawPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawPlaceCommand({ offeringId, placeId, effectiveOn }, context));
  }

  @WriteRoute('POST', {
    path: ':placeId/leave',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Put a place on leave for a period',
      response: shape({ offeringId: 'uuid', placeId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  putOnLeave(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @Body() { from, until }: PutOnLeaveRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new PutOnLeaveCommand({ offeringId, placeId, from, until: until ?? null }, context));
  }

  @WriteRoute('POST', {
    path: ':placeId/return',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Return a place from leave',
      response: shape({ offeringId: 'uuid', placeId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  returnFromLeave(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReturnFromLeaveCommand({ offeringId, placeId }, context));
  }

  @WriteRoute('POST', {
    path: ':placeId/transfer',
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Transfer a place to another offering',
      response: shape({ fromOfferingId: 'uuid', fromPlaceId: 'uuid', toOfferingId: 'uuid', toPlaceId: 'uuid' }),
      errors: [404],
    },
  })
  transfer(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @Body() { toOfferingId, effectiveOn }: TransferPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new TransferPlaceCommand({ offeringId, placeId, toOfferingId, effectiveOn }, context));
  }
}
