import { Body, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext } from '#libs/platform';
import { JoinKulturdagCommand } from './join-kulturdag.handler.js';
import { JoinKulturdagRequest } from './join-kulturdag.request.js';

@ContextController('enrolment', 'enrolment/kulturdag/schools/:schoolId/join')
export class JoinKulturdagController {
  constructor(private readonly commands: CommandBus) {}

  // The school id becomes part of a stream name, which refuses anything but letters, digits, '_' and '-' (a 400).
  @WriteRoute('POST', { roles: ['admin'] })
  join(
    @Param('schoolId') schoolId: string,
    @Body() { schoolYear, district }: JoinKulturdagRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new JoinKulturdagCommand({ schoolId, schoolYear, district }, context));
  }
}
