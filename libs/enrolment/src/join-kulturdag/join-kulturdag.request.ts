import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { District } from '../domain/index.js';
import { IsSchoolYear, NoControlCharacters } from '#libs/platform';

export class JoinKulturdagRequest {
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
  // A district of the tenant's register: checked by the handler.
  @ApiProperty({ type: String, example: 'Østbyen' })
  @IsString()
  @Length(1, 80)
  @NoControlCharacters()
  district!: District;
}

/** The school, whose id becomes part of the Kulturdag stream's name: letters, digits, '_' and '-'. */
export class KulturdagSchoolParam {
  @ApiProperty({ example: 'berg-skole' })
  @Matches(/^[A-Za-z0-9_-]{1,80}$/, { message: "schoolId must be 1–80 letters, digits, '_' or '-'" })
  schoolId!: string;
}
