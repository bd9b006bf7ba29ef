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
  ValidateNested,
} from 'class-validator';
import { IsSchoolYear } from '#libs/platform';

export class KulturdagPupilRequest {
  @ApiProperty({ description: 'pseudonymous id' }) @IsUUID() pupilId!: string;
  @ApiProperty({ example: 2016 }) @IsInt() @Min(2000) @Max(2030) birthYear!: number;
}

/** Pupils are registered without names: a pseudonymous id and a birth year. */
export class RegisterPupilsRequest {
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
  @ApiProperty({ type: [KulturdagPupilRequest] })
  // IsObject each too: ValidateNested alone takes a nested array ([[]]) for a pupil.
  @IsArray()
  @IsObject({ each: true, message: 'each of pupils must be an object with a pupilId and a birthYear' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Type(() => KulturdagPupilRequest)
  pupils!: KulturdagPupilRequest[];
}
