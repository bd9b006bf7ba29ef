import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import type { District } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { DISTRICTS } from '#libs/municipality';

const SCHOOL_YEAR = { message: 'schoolYear must look like 2025-2026' };

export class JoinKulturdagRequest {
  @ApiProperty({ example: '2025-2026' }) @Matches(/^\d{4}-\d{4}$/, SCHOOL_YEAR) schoolYear!: string;
  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS)
  district!: District;
}

export class KulturdagPupilRequest {
  @ApiProperty({ description: 'pseudonymous id' }) @IsUUID() pupilId!: string;
  @ApiProperty({ example: 2016 }) @IsInt() @Min(2000) @Max(2030) birthYear!: number;
}

export class RegisterPupilsRequest {
  @ApiProperty({ example: '2025-2026' }) @Matches(/^\d{4}-\d{4}$/, SCHOOL_YEAR) schoolYear!: string;
  @ApiProperty({ type: [KulturdagPupilRequest] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Type(() => KulturdagPupilRequest)
  pupils!: KulturdagPupilRequest[];
}

/** The breadth programme: schools join Kulturdag per school year; pupils are registered without names. */
@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/kulturdag/schools/:schoolId')
export class KulturdagController {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  @Post('join')
  @Roles('admin')
  async join(
    @Param('schoolId') schoolId: string,
    @Body() body: JoinKulturdagRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision } = await this.enrolment.kulturdag(
      schoolId,
      body.schoolYear,
      { type: 'JoinKulturdag', data: { schoolId, schoolYear: body.schoolYear, district: body.district } },
      context,
    );
    return { schoolId, schoolYear: body.schoolYear, revision };
  }

  @Post('pupils')
  @Roles('admin', 'caseworker')
  async register(
    @Param('schoolId') schoolId: string,
    @Body() body: RegisterPupilsRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const { revision, events } = await this.enrolment.kulturdag(
      schoolId,
      body.schoolYear,
      { type: 'RegisterKulturdagPupils', data: { pupils: body.pupils.map((p) => ({ ...p })) } },
      context,
    );
    return { schoolId, schoolYear: body.schoolYear, registered: events.length, revision };
  }
}
