import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { ApplyForWaiverDto } from './apply-for-waiver.dto.js';
import { ApplyForWaiver } from './apply-for-waiver.handler.js';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/fee-waivers/applications')
export class ApplyForWaiverController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  apply(@Body() body: ApplyForWaiverDto, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new ApplyForWaiver(body, context));
  }
}
