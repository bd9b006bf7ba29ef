import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import { CommandContextOf, eventIdFor, Roles, type CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class TransferPlaceRequest {
  @ApiProperty() @IsUUID() toOfferingId!: string;
  @ApiProperty({ example: '2026-01-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveOn must be a date like 2026-01-01' })
  effectiveOn!: string;
}

const sub = (context: CommandContext, step: string): CommandContext => ({
  ...context,
  commandId: eventIdFor(context.commandId, step, 0),
});

/**
 * A transfer is three facts: the target offering enrols the student (it may refuse: nothing is written then), the
 * source records the place transferred out (releasing its seat), and the student's place moves (count unchanged).
 */
@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId/transfer')
export class TransferPlaceController {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  @Post()
  @Roles('admin', 'caseworker')
  async transfer(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @Body() body: TransferPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { studentId, birthYear, gender, district, school } = await this.enrolment.enrolledPlace(
      context.principal.tenant,
      offeringId,
      placeId,
    );
    const place = { studentId, birthYear, gender, district, school };
    const toPlaceId = eventIdFor(context.commandId, 'place', 0);
    await this.enrolment.offering(
      body.toOfferingId,
      {
        type: 'Enrol',
        data: { ...place, placeId: toPlaceId, viaOfferId: null, transferredFrom: { offeringId, placeId } },
      },
      sub(context, 'enrol-target'),
    );
    await this.enrolment.offering(
      offeringId,
      {
        type: 'Transfer',
        data: { placeId, toOfferingId: body.toOfferingId, toPlaceId, effectiveOn: body.effectiveOn },
      },
      sub(context, 'transfer-out'),
    );
    await this.enrolment.student(
      place.studentId,
      { type: 'MovePlace', data: { fromPlaceId: placeId, placeId: toPlaceId, offeringId: body.toOfferingId } },
      sub(context, 'student'),
    );
    return { fromOfferingId: offeringId, fromPlaceId: placeId, toOfferingId: body.toOfferingId, toPlaceId };
  }
}
