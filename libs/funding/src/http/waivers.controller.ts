import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { ApplyForWaiverCommand } from '../apply-for-waiver/apply-for-waiver.handler.js';
import { ApplyForWaiverRequest } from '../apply-for-waiver/apply-for-waiver.request.js';
import { AssessApplicationCommand } from '../assess-application/assess-application.handler.js';
import { AssessApplicationRequest } from '../assess-application/assess-application.request.js';
import { RevokeWaiverCommand } from '../revoke-waiver/revoke-waiver.handler.js';
import { RevokeWaiverRequest } from '../revoke-waiver/revoke-waiver.request.js';

/** Fee-waiver applications: a household applies, a case worker decides, a granted waiver can be revoked. */
@ContextController('funding', 'funding/fee-waivers/applications')
export class WaiversController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', {
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Apply for a fee waiver (friplass)',
      description: "The household's income is sealed as personal data; the application waits for a decision.",
      response: shape({ applicationId: 'uuid', householdId: 'string', schoolYear: 'string', status: 'string' }),
    },
  })
  apply(@Body() body: ApplyForWaiverRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new ApplyForWaiverCommand(body, context));
  }

  @WriteRoute('POST', {
    path: ':applicationId/decision',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Decide a fee-waiver application',
      description: 'Granted at a level (the share the family pays), or rejected with a reason.',
      response: shape({ applicationId: 'uuid', decision: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  assess(
    @UuidParam('applicationId') applicationId: string,
    @Body() body: AssessApplicationRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new AssessApplicationCommand({ applicationId, body }, context));
  }

  @WriteRoute('POST', {
    path: ':applicationId/revoke',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Revoke a granted fee waiver',
      response: shape({ applicationId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  revoke(
    @UuidParam('applicationId') applicationId: string,
    @Body() { reason }: RevokeWaiverRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RevokeWaiverCommand({ applicationId, reason }, context));
  }
}
