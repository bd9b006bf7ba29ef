import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext } from '#libs/platform';
import { TransferPlaceCommand } from './transfer-place.handler.js';
import { TransferPlaceRequest } from './transfer-place.request.js';

@ContextController('enrolment', 'enrolment/offerings/:offeringId/places/:placeId/transfer')
export class TransferPlaceController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  transfer(
    @UuidParam('offeringId') offeringId: string,
    @UuidParam('placeId') placeId: string,
    @Body() { toOfferingId, effectiveOn }: TransferPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new TransferPlaceCommand({ offeringId, placeId, toOfferingId, effectiveOn }, context));
  }
}
