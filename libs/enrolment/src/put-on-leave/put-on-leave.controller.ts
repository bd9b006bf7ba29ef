import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { PutOnLeaveCommand } from './put-on-leave.handler.js';
import { PutOnLeaveRequest } from './put-on-leave.request.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId/leave')
export class PutOnLeaveController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  putOnLeave(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @Body() body: PutOnLeaveRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new PutOnLeaveCommand(offeringId, placeId, body.from, body.until ?? null, context));
  }
}
