import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { District } from '../domain/index.js';
import { DISTRICTS } from '#libs/municipality';
import { IsSchoolYear } from '#libs/platform';

export class JoinKulturdagRequest {
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS)
  district!: District;
}

/** The school, whose id becomes part of the Kulturdag stream's name: letters, digits, '_' and '-'. */
export class KulturdagSchoolParam {
  @ApiProperty({ example: 'berg-skole' })
  @Matches(/^[A-Za-z0-9_-]{1,80}$/, { message: "schoolId must be 1–80 letters, digits, '_' or '-'" })
  schoolId!: string;
}
