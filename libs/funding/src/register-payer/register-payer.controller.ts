import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { RegisterPayerCommand } from './register-payer.handler.js';
import { RegisterPayerRequest } from './register-payer.request.js';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/children/:childId/payer')
export class RegisterPayerController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @Roles('admin', 'caseworker')
  register(
    @Param('childId', new ParseUUIDPipe()) childId: string,
    @Body() body: RegisterPayerRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RegisterPayerCommand(childId, body, context));
  }
}
