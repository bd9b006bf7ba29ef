import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsObject,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { DISTRICTS } from '#libs/municipality';
import { NoControlCharacters, OptionalNotNull } from '#libs/platform';

export class ChildRequest {
  @ApiProperty({ example: 'Ola Nordmann' }) @IsString() @Length(1, 120) @NoControlCharacters() name!: string;
  @ApiProperty({ description: 'fødselsnummer or D-number, 11 digits' })
  @Matches(/^\d{11}$/, { message: 'nationalId must be 11 digits' })
  nationalId!: string;
  @ApiProperty({ enum: ['female', 'male', 'unknown'] }) @IsIn(['female', 'male', 'unknown']) gender!:
    'female' | 'male' | 'unknown';
  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS)
  district!: string;
  @ApiPropertyOptional({ example: 'Ranheim skole' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 80)
  @NoControlCharacters()
  school?: string;
  @ApiPropertyOptional({ example: 'Ranheimsvegen 1, 7054 Ranheim' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  @NoControlCharacters()
  address?: string;
}

export class GuardianRequest {
  @ApiProperty({ example: 'Kari Nordmann' }) @IsString() @Length(1, 120) @NoControlCharacters() name!: string;
  @ApiProperty({ example: 'kari@example.no' }) @IsEmail() email!: string;
  @ApiPropertyOptional({ example: '+4791234567' })
  @OptionalNotNull()
  @Matches(/^\+?\d{8,15}$/, { message: 'phone must be 8–15 digits, optionally with a leading +' })
  phone?: string;
}

export class SubmitApplicationRequest {
  // IsObject too: ValidateNested alone lets a missing child (or an empty array) through.
  @ApiProperty({ type: ChildRequest })
  @IsObject({ message: 'child must be an object with the child’s details' })
  @ValidateNested()
  @Type(() => ChildRequest)
  child!: ChildRequest;
  @ApiProperty({ type: GuardianRequest })
  @IsObject({ message: 'guardian must be an object with the guardian’s details' })
  @ValidateNested()
  @Type(() => GuardianRequest)
  guardian!: GuardianRequest;
  @ApiProperty({ description: 'declared special needs (may give priority, per policy)' })
  @IsBoolean()
  specialNeeds!: boolean;
  @ApiPropertyOptional({ description: 'when the family applied (a paper application registered later); default now' })
  @OptionalNotNull()
  @IsISO8601({ strict: true }, { message: 'appliedAt must be an ISO-8601 instant like 2025-03-01T10:00:00Z' })
  appliedAt?: string;
}
