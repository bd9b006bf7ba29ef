import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';

import { ChangeCapacityRequest } from './change-capacity.request.js';
import { ChangeCapacityCommand } from './change-capacity.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/capacity')
export class ChangeCapacityController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  change(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: ChangeCapacityRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ChangeCapacityCommand(offeringId, body.capacity, context));
  }
}
