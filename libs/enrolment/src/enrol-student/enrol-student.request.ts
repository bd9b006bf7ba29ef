import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import type { District, Gender } from '../domain/index.js';
import { DISTRICTS } from '#libs/municipality';
import { NoControlCharacters } from '#libs/platform';

/** A direct enrolment by a case worker; the student is known by pseudonymous id, never by name here. */
export class EnrolStudentRequest {
  @ApiProperty() @IsUUID() studentId!: string;
  @ApiProperty({ example: 2014 }) @IsInt() @Min(1990) @Max(2030) birthYear!: number;
  @ApiProperty({ enum: ['female', 'male', 'unknown'] }) @IsIn(['female', 'male', 'unknown']) gender!: Gender;
  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS)
  district!: District;
  @ApiProperty({ example: 'Ranheim skole' }) @IsString() @Length(1, 80) @NoControlCharacters() school!: string;
}
