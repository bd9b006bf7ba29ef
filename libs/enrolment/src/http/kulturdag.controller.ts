import { Body, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { JoinKulturdagCommand } from '../join-kulturdag/join-kulturdag.handler.js';
import { JoinKulturdagRequest, KulturdagSchoolParam } from '../join-kulturdag/join-kulturdag.request.js';
import { RegisterKulturdagPupilsCommand } from '../register-kulturdag-pupils/register-kulturdag-pupils.handler.js';
import { RegisterPupilsRequest } from '../register-kulturdag-pupils/register-kulturdag-pupils.request.js';
import { personIdOf } from '../enrol-student/enrol-student.request.js';

/**
 * Kulturdag, per school: the school joins for a school year, then registers its pupils. The school id becomes part of
 * a stream name, so anything but letters, digits, '_' and '-' is a 400 naming `schoolId` (KulturdagSchoolParam).
 */
@ContextController('enrolment', 'enrolment/kulturdag/schools/:schoolId')
export class KulturdagController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', {
    path: 'join',
    roles: ['admin'],
    doc: {
      summary: 'A primary school joins Kulturdag for a school year',
      response: shape({ schoolId: 'string', schoolYear: 'string', revision: 'integer?' }),
    },
  })
  join(
    @Param() { schoolId }: KulturdagSchoolParam,
    @Body() { schoolYear, district }: JoinKulturdagRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new JoinKulturdagCommand({ schoolId, schoolYear, district }, context));
  }

  @WriteRoute('POST', {
    path: 'pupils',
    roles: ['admin', 'caseworker'],
    doc: {
      summary: "Register a Kulturdag school's pupils",
      response: shape({ schoolId: 'string', schoolYear: 'string', registered: 'integer', revision: 'integer?' }),
      errors: [404],
    },
  })
  registerPupils(
    @Param() { schoolId }: KulturdagSchoolParam,
    @Body() { schoolYear, pupils: registered }: RegisterPupilsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const pupils = registered.map(({ personId, pupilId, birthYear }, index) => ({
      pupilId: personIdOf(personId, pupilId, `pupils[${index}].pupilId`),
      birthYear,
    }));
    return this.commands.execute(new RegisterKulturdagPupilsCommand({ schoolId, schoolYear, pupils }, context));
  }
}
