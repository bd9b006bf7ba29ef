import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';

import { OpenOfferingRequest } from './open-offering.request.js';
import { OpenOfferingCommand } from './open-offering.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings')
export class OpenOfferingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  open(@Body() body: OpenOfferingRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new OpenOfferingCommand({ ...body }, context));
  }
}
