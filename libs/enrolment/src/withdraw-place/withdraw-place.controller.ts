import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { WithdrawPlaceCommand } from './withdraw-place.handler.js';
import { WithdrawPlaceRequest } from './withdraw-place.request.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/places/:placeId/withdraw')
export class WithdrawPlaceController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { status: 200, roles: ['admin', 'caseworker'] })
  withdraw(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @Body() { effectiveOn }: WithdrawPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawPlaceCommand({ offeringId, placeId, effectiveOn }, context));
  }
}
