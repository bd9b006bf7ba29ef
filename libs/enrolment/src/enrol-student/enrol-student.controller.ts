import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { EnrolStudentRequest } from './enrol-student.request.js';
import { EnrolStudentCommand } from './enrol-student.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places')
export class EnrolStudentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  enrol(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: EnrolStudentRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new EnrolStudentCommand({ ...body, offeringId, viaOfferId: null }, context));
  }
}
