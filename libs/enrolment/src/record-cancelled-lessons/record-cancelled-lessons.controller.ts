import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { RecordCancelledLessonsCommand } from './record-cancelled-lessons.handler.js';
import { CancelledLessonsRequest } from './record-cancelled-lessons.request.js';

@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/cancelled-lessons')
export class RecordCancelledLessonsController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  record(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: CancelledLessonsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { schoolYear, term, cancelledLessons } = body;
    return this.commands.execute(
      new RecordCancelledLessonsCommand(offeringId, { schoolYear, term, cancelledLessons }, context),
    );
  }
}
