import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class PutOnLeaveRequest {
  @ApiProperty({ example: '2026-01-05' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date like 2026-01-05' })
  from!: string;
  @ApiPropertyOptional({ example: '2026-06-20' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'until must be a date like 2026-06-20' })
  until?: string;
}

/** Leave keeps the seat: the student comes back to it. */
@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/offerings/:offeringId/places/:placeId')
export class LeaveController {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  @Post('leave')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async putOnLeave(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @Body() body: PutOnLeaveRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.enrolment.offering(
      offeringId,
      { type: 'PutOnLeave', data: { placeId, from: body.from, until: body.until ?? null } },
      context,
    );
    return { offeringId, placeId, status: 'on leave', revision };
  }

  @Post('return')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  async returnFromLeave(
    @Param('offeringId', new ParseUUIDPipe()) offeringId: string,
    @Param('placeId', new ParseUUIDPipe()) placeId: string,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.enrolment.offering(
      offeringId,
      { type: 'ReturnFromLeave', data: { placeId } },
      context,
    );
    return { offeringId, placeId, status: 'active', revision };
  }
}
