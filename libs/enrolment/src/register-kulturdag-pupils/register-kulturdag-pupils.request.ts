import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsObject,
  IsUUID,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsSchoolYear } from '#libs/platform';

export class KulturdagPupilRequest {
  @ApiProperty({ required: false, description: 'the registered person (POST /people, or POST /people/lookup)' })
  // One of personId and pupilId is needed; a field sent (null too) is checked.
  @ValidateIf((pupil: KulturdagPupilRequest) => pupil.personId !== undefined || pupil.pupilId === undefined)
  @IsUUID()
  personId?: string;
  @ApiProperty({ required: false, deprecated: true, description: 'the same as personId, for older clients' })
  @ValidateIf((pupil: KulturdagPupilRequest) => pupil.pupilId !== undefined)
  @IsUUID()
  pupilId?: string;
  @ApiProperty({ example: 2016 }) @IsInt() @Min(2000) @Max(2030) birthYear!: number;
}

/** Pupils are registered without names: a registered person's id and a birth year. */
export class RegisterPupilsRequest {
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
  @ApiProperty({ type: [KulturdagPupilRequest] })
  // IsObject each too: ValidateNested alone takes a nested array ([[]]) for a pupil.
  @IsArray()
  @IsObject({ each: true, message: 'each of pupils must be an object with a personId and a birthYear' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Type(() => KulturdagPupilRequest)
  pupils!: KulturdagPupilRequest[];
}
