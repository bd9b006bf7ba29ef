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
import { NoControlCharacters, OptionalNotNull } from '#libs/platform';

export class ChildRequest {
  @ApiProperty({ example: 'Ola Nordmann' }) @IsString() @Length(1, 120) @NoControlCharacters() name!: string;
  @ApiProperty({ description: 'fødselsnummer or D-number, 11 digits' })
  @Matches(/^\d{11}$/, { message: 'nationalId must be 11 digits' })
  nationalId!: string;
  @ApiProperty({ enum: ['female', 'male', 'unknown'] }) @IsIn(['female', 'male', 'unknown']) gender!:
    'female' | 'male' | 'unknown';
  // The tenant's own district and school: checked against its registers by the handler.
  @ApiProperty({ example: 'Østbyen' }) @IsString() @Length(1, 80) @NoControlCharacters() district!: string;
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
  @ApiPropertyOptional({ description: 'the child lives in another municipality (reported in GSI A11/A12)' })
  @OptionalNotNull()
  @IsBoolean()
  fromOtherMunicipality?: boolean;
}

export class GuardianRequest {
  @ApiProperty({ example: 'Kari Nordmann' }) @IsString() @Length(1, 120) @NoControlCharacters() name!: string;
  @ApiProperty({ example: 'kari@example.no' }) @IsEmail() email!: string;
  @ApiPropertyOptional({ example: '+4791234567' })
  @OptionalNotNull()
  @Matches(/^\+?\d{8,15}$/, { message: 'phone must be 8–15 digits, optionally with a leading +' })
  phone?: string;
  @ApiPropertyOptional({
    description: "the guardian's fødselsnummer or D-number, 11 digits: the guardian pays unless `payer` names another",
  })
  @OptionalNotNull()
  @Matches(/^\d{11}$/, { message: 'guardian.nationalId must be 11 digits' })
  nationalId?: string;
}

/** Another payer than the guardian who applies; the number goes to the people register, never into an event. */
export class PayerRequest {
  @ApiProperty({ description: "the payer's fødselsnummer or D-number, 11 digits" })
  @Matches(/^\d{11}$/, { message: 'payer.nationalId must be 11 digits' })
  nationalId!: string;
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
  @ApiPropertyOptional({ type: PayerRequest, description: 'who pays for a place, when not the guardian who applies' })
  @OptionalNotNull()
  @IsObject({ message: 'payer must be an object with the payer’s national id' })
  @ValidateNested()
  @Type(() => PayerRequest)
  payer?: PayerRequest;
  @ApiProperty({ description: 'declared special needs (may give priority, per policy)' })
  @IsBoolean()
  specialNeeds!: boolean;
  @ApiPropertyOptional({ description: 'when the family applied (a paper application registered later); default now' })
  @OptionalNotNull()
  @IsISO8601({ strict: true }, { message: 'appliedAt must be an ISO-8601 instant like 2025-03-01T10:00:00Z' })
  appliedAt?: string;
}
