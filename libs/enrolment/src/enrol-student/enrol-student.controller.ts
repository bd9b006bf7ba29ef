import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { EnrolStudentDto } from './enrol-student.dto.js';
import { EnrolStudent } from './enrol-student.handler.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places')
export class EnrolStudentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('admin', 'caseworker')
  enrol(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: EnrolStudentDto,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new EnrolStudent({ ...body, offeringId, viaOfferId: null }, context));
  }
}
