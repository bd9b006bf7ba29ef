import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { WithdrawPlaceCommand } from './withdraw-place.handler.js';
import { WithdrawPlaceRequest } from './withdraw-place.request.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId/withdraw')
export class WithdrawPlaceController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  withdraw(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @Body() body: WithdrawPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawPlaceCommand(offeringId, placeId, body.effectiveOn, context));
  }
}
