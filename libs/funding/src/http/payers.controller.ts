import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { RegisterPayerCommand } from '../register-payer/register-payer.handler.js';
import { RegisterPayerRequest } from '../register-payer/register-payer.request.js';

/** A child's payer, registered by a case worker (funding owns it; enrolment events carry none). */
@ContextController('funding', 'funding/children/:childId/payer')
export class PayersController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('PUT', {
    roles: ['admin', 'caseworker'],
    doc: {
      summary: "Register who pays for a child's places",
      response: shape({ childId: 'uuid', payerId: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  register(
    @UuidParam('childId') childId: string,
    @Body() { payerNationalId }: RegisterPayerRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RegisterPayerCommand({ childId, payerNationalId }, context));
  }
}
