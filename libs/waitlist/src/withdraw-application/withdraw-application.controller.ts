import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { WithdrawApplicationCommand } from './withdraw-application.handler.js';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist/offerings/:offeringId/applications/:applicationId/withdraw')
export class WithdrawApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  withdraw(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawApplicationCommand(offeringId, applicationId, context));
  }
}
