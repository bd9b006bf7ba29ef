import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';

import { OpenOfferingDto } from './open-offering.dto.js';
import { OpenOffering } from './open-offering.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings')
export class OpenOfferingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  open(@Body() body: OpenOfferingDto, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new OpenOffering({ ...body }, context));
  }
}
