import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';

import { CloseOfferingCommand } from './close-offering.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/close')
export class CloseOfferingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  close(@Param('offeringId', new ParseUUIDPipe()) offeringId: string, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new CloseOfferingCommand(offeringId, context));
  }
}
