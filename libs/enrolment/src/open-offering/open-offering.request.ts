import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { kronerToOre, type District, type Programme, type SubjectGroup, type TeachingForm } from '../domain/index.js';
import { IsSchoolYear, NoControlCharacters, OptionalNotNull } from '#libs/platform';

/** NOK with at most two decimals after a point, up to NOK 100,000 (the domain refuses more): "2052.50". */
export const KRONER_PATTERN = /^(0|[1-9]\d{0,5})(\.\d{1,2})?$/;

/** Two ways to give one value: the request takes one of them, never both. */
const NotWith = (other: string): PropertyDecorator =>
  ValidateBy({
    name: 'notWith',
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown> | undefined)?.[other] === undefined,
      defaultMessage: (args) => `${args?.property} and ${other} both give the fee: send one of them`,
    },
  });

export class OpenOfferingRequest {
  @ApiProperty({ example: 'Piano' }) @IsString() @Length(1, 80) @NoControlCharacters() subject!: string;
  @ApiProperty({ enum: ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] })
  @IsIn(['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'])
  subjectGroup!: SubjectGroup;
  @ApiProperty({ enum: ['breadth', 'core', 'deepening'] })
  @IsIn(['breadth', 'core', 'deepening'])
  programme!: Programme;
  @ApiProperty({ example: 'Ranheim' }) @IsString() @Length(1, 80) @NoControlCharacters() location!: string;
  // The tenant's own districts and centres: checked against its registers by the handler.
  @ApiProperty({ type: String, example: 'Østbyen' })
  @IsString()
  @Length(1, 80)
  @NoControlCharacters()
  district!: District;
  @ApiProperty({ enum: ['individual', 'group'] }) @IsIn(['individual', 'group']) form!: TeachingForm;
  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(500) capacity!: number;
  @ApiPropertyOptional({ example: '2052.50', description: 'the fee per semester in NOK, at most two decimals' })
  @ValidateIf(
    (request: OpenOfferingRequest) => request.feePerSemester !== undefined || request.feePerSemesterNok === undefined,
  )
  @IsString()
  @Matches(KRONER_PATTERN, {
    message: 'feePerSemester must be NOK from 0 to 100000 with at most two decimals, like "2052.50"',
  })
  @NotWith('feePerSemesterNok')
  feePerSemester?: string;
  @ApiPropertyOptional({ example: 2105, deprecated: true, description: 'whole kroner; use feePerSemester' })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(100_000)
  feePerSemesterNok?: number;
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
}

/** The fee of the request in øre, whichever way it was given (validation has made sure it is one of the two). */
export const requestedFeeOre = ({ feePerSemester, feePerSemesterNok }: OpenOfferingRequest): number =>
  feePerSemester !== undefined ? kronerToOre(feePerSemester) : (feePerSemesterNok ?? 0) * 100;
