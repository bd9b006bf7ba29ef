import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { refusal } from '#libs/decider';
import type { District, Gender } from '../domain/index.js';
import { NoControlCharacters, OptionalNotNull } from '#libs/platform';

/** A direct enrolment by a case worker; the student is known by pseudonymous id, never by name here. */
export class EnrolStudentRequest {
  @ApiProperty({ required: false, description: 'the registered person (POST /people, or POST /people/lookup)' })
  // One of personId and studentId is needed; a field sent (null too) is checked.
  @ValidateIf((request: EnrolStudentRequest) => request.personId !== undefined || request.studentId === undefined)
  @IsUUID()
  personId?: string;
  // Still taken from older clients, not offered in the API document: one person, one id.
  @ApiHideProperty()
  @ValidateIf((request: EnrolStudentRequest) => request.studentId !== undefined)
  @IsUUID()
  studentId?: string;
  @ApiProperty({ example: 2014 }) @IsInt() @Min(1990) @Max(2030) birthYear!: number;
  @ApiProperty({ enum: ['female', 'male', 'unknown'] }) @IsIn(['female', 'male', 'unknown']) gender!: Gender;
  // The tenant's own district and school: checked against its registers by the handler.
  @ApiProperty({ type: String, example: 'Østbyen' })
  @IsString()
  @Length(1, 80)
  @NoControlCharacters()
  district!: District;
  @ApiProperty({ example: 'Ranheim skole' }) @IsString() @Length(1, 80) @NoControlCharacters() school!: string;
  @ApiPropertyOptional({ description: 'the student lives in another municipality (reported in GSI A11/A12)' })
  @OptionalNotNull()
  @IsBoolean()
  fromOtherMunicipality?: boolean;
}

export class PersonIdsDiffer extends refusal('invalid', (field: string) => ({
  message: `personId and ${field} name the same person: give one, or both the same`,
  field,
})) {}

/** The person: `personId`, or the older name for it (`studentId`, `pupilId`); the validation saw one of them. */
export const personIdOf = (personId: string | undefined, older: string | undefined, field = 'studentId'): string => {
  if (personId !== undefined && older !== undefined && personId.toLowerCase() !== older.toLowerCase())
    throw new PersonIdsDiffer(field);
  return personId ?? older ?? '';
};
