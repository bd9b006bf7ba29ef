import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';

export class KulturdagPupilRequest {
  @ApiProperty({ description: 'pseudonymous id' }) @IsUUID() pupilId!: string;
  @ApiProperty({ example: 2016 }) @IsInt() @Min(2000) @Max(2030) birthYear!: number;
}

/** Pupils are registered without names: a pseudonymous id and a birth year. */
export class RegisterPupilsRequest {
  @ApiProperty({ example: '2025-2026' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear!: string;
  @ApiProperty({ type: [KulturdagPupilRequest] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Type(() => KulturdagPupilRequest)
  pupils!: KulturdagPupilRequest[];
}
