import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { ReconfirmApplicationCommand } from '../reconfirm-application/reconfirm-application.handler.js';
import { ReconfirmApplicationRequest } from '../reconfirm-application/reconfirm-application.request.js';
import { SubmitApplicationCommand } from '../submit-application/submit-application.handler.js';
import { SubmitApplicationRequest } from '../submit-application/submit-application.request.js';
import { WithdrawApplicationCommand } from '../withdraw-application/withdraw-application.handler.js';

/** Applications to an offering's waitlist: submit one, withdraw it, reconfirm it for the next school year. */
@ContextController('waitlist', 'waitlist/offerings/:offeringId/applications')
export class ApplicationsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', {
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Put a child on the waitlist of an offering',
      description: 'The child and guardian are registered (personal data sealed) and the application queued.',
      response: shape({ offeringId: 'uuid', applicationId: 'uuid', childId: 'uuid', revision: 'integer?' }),
      errors: [404],
    },
  })
  submit(
    @UuidParam('offeringId') offeringId: string,
    @Body() body: SubmitApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SubmitApplicationCommand({ offeringId, body }, context));
  }

  @WriteRoute('POST', {
    path: ':applicationId/withdraw',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Withdraw a waitlist application',
      response: shape({ offeringId: 'uuid', applicationId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  withdraw(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('applicationId') applicationId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawApplicationCommand({ offeringId, applicationId }, context));
  }

  @WriteRoute('POST', {
    path: ':applicationId/reconfirm',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Reconfirm a waitlist application for a school year',
      description: 'Families confirm each year that they still want a seat; an unconfirmed application lapses.',
      response: shape({ offeringId: 'uuid', applicationId: 'uuid', reconfirmedFor: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  reconfirm(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('applicationId') applicationId: string,
    @Body() { schoolYear }: ReconfirmApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReconfirmApplicationCommand({ offeringId, applicationId, schoolYear }, context));
  }
}
