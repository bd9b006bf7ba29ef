import { Body, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext } from '#libs/platform';
import { RegisterKulturdagPupilsCommand } from './register-kulturdag-pupils.handler.js';
import { RegisterPupilsRequest } from './register-kulturdag-pupils.request.js';

@ContextController('enrolment', 'enrolment/kulturdag/schools/:schoolId/pupils')
export class RegisterKulturdagPupilsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', { roles: ['admin', 'caseworker'] })
  register(
    @Param('schoolId') schoolId: string,
    @Body() { schoolYear, pupils: registered }: RegisterPupilsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const pupils = registered.map(({ pupilId, birthYear }) => ({ pupilId, birthYear }));
    return this.commands.execute(new RegisterKulturdagPupilsCommand({ schoolId, schoolYear, pupils }, context));
  }
}
