import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import type { District, Programme, SubjectGroup, TeachingForm } from '../domain/index.js';
import { DISTRICTS } from '#libs/municipality';
import { IsSchoolYear, NoControlCharacters } from '#libs/platform';

export class OpenOfferingRequest {
  @ApiProperty({ example: 'Piano' }) @IsString() @Length(1, 80) @NoControlCharacters() subject!: string;
  @ApiProperty({ enum: ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] })
  @IsIn(['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'])
  subjectGroup!: SubjectGroup;
  @ApiProperty({ enum: ['breadth', 'core', 'deepening'] })
  @IsIn(['breadth', 'core', 'deepening'])
  programme!: Programme;
  @ApiProperty({ example: 'Ranheim' }) @IsString() @Length(1, 80) @NoControlCharacters() location!: string;
  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS)
  district!: District;
  @ApiProperty({ enum: ['individual', 'group'] }) @IsIn(['individual', 'group']) form!: TeachingForm;
  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(500) capacity!: number;
  @ApiProperty({ example: 2105 }) @IsInt() @Min(0) @Max(100_000) feePerSemesterNok!: number;
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
}
