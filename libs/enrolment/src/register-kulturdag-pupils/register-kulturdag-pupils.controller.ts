import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { RegisterKulturdagPupilsCommand } from './register-kulturdag-pupils.handler.js';
import { RegisterPupilsRequest } from './register-kulturdag-pupils.request.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/kulturdag/schools/:schoolId/pupils')
export class RegisterKulturdagPupilsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  register(
    @Param('schoolId') schoolId: string,
    @Body() body: RegisterPupilsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const pupils = body.pupils.map(({ pupilId, birthYear }) => ({ pupilId, birthYear }));
    return this.commands.execute(new RegisterKulturdagPupilsCommand(schoolId, body.schoolYear, pupils, context));
  }
}
