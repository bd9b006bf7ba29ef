import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { JoinKulturdagCommand } from './join-kulturdag.handler.js';
import { JoinKulturdagRequest } from './join-kulturdag.request.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/kulturdag/schools/:schoolId/join')
export class JoinKulturdagController {
  constructor(private readonly commands: CommandBus) {}

  // The school id becomes part of a stream name, which refuses anything but letters, digits, '_' and '-' (a 400).
  @Post()
  @Roles('admin')
  join(
    @Param('schoolId') schoolId: string,
    @Body() body: JoinKulturdagRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new JoinKulturdagCommand(schoolId, body.schoolYear, body.district, context));
  }
}
