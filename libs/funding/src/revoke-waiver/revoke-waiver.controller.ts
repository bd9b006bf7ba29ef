import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { RevokeWaiverCommand } from './revoke-waiver.handler.js';
import { RevokeWaiverRequest } from './revoke-waiver.request.js';

@ContextController('funding', 'funding/fee-waivers/applications/:applicationId/revoke')
export class RevokeWaiverController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  revoke(
    @UuidParam('applicationId') applicationId: string,
    @Body() { reason }: RevokeWaiverRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RevokeWaiverCommand({ applicationId, reason }, context));
  }
}
