import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CommandContextOf, eventIdFor, Roles, type CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class WithdrawPlaceRequest {
  @ApiProperty({ example: '2025-12-31', description: "the place's last day" })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveOn must be a date like 2025-12-31' })
  effectiveOn!: string;
}

/** Withdrawal: the offering releases the seat (the waitlist offers it on), the student's count drops. */
@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId/withdraw')
export class WithdrawPlaceController {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async withdraw(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @Body() body: WithdrawPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const result = await this.enrolment.offering(
      offeringId,
      { type: 'Withdraw', data: { placeId, effectiveOn: body.effectiveOn } },
      context,
    );
    const withdrawn = result.events.find((e) => e.type === 'PlaceWithdrawn');
    if (withdrawn?.type === 'PlaceWithdrawn') {
      const student = { ...context, commandId: eventIdFor(context.commandId, 'student', 0) };
      await this.enrolment.student(withdrawn.data.studentId, { type: 'GiveUpPlace', data: { placeId } }, student);
      return { offeringId, placeId, afterDeadline: withdrawn.data.afterDeadline, revision: result.revision };
    }
    return { offeringId, placeId, revision: result.revision };
  }
}
