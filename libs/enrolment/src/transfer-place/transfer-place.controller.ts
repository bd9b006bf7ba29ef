import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { TransferPlaceCommand } from './transfer-place.handler.js';
import { TransferPlaceRequest } from './transfer-place.request.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId/transfer')
export class TransferPlaceController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  transfer(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @Body() body: TransferPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { toOfferingId, effectiveOn } = body;
    return this.commands.execute(new TransferPlaceCommand(offeringId, placeId, toOfferingId, effectiveOn, context));
  }
}
