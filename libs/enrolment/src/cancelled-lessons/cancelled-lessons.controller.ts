import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class CancelledLessonsRequest {
  @ApiProperty({ example: '2025-2026' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear!: string;
  @ApiProperty({ enum: ['autumn', 'spring'] }) @IsIn(['autumn', 'spring']) term!: 'autumn' | 'spring';
  @ApiProperty({ example: 3, description: 'the total cancelled by the school this semester so far' })
  @IsInt()
  @Min(0)
  @Max(100)
  cancelledLessons!: number;
}

/** The school cancelled lessons: funding refunds part of the fee from the third (rule 11). */
@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/cancelled-lessons')
export class CancelledLessonsController {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  @Put()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async record(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Body() body: CancelledLessonsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.enrolment.offering(
      offeringId,
      { type: 'RecordCancelledLessons', data: { ...body } },
      context,
    );
    return { offeringId, ...body, revision };
  }
}
