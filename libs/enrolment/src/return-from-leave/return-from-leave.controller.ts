import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { ReturnFromLeaveCommand } from './return-from-leave.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId/return')
export class ReturnFromLeaveController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  returnFromLeave(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReturnFromLeaveCommand(offeringId, placeId, context));
  }
}
