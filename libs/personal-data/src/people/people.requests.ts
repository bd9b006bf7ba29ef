import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { NoControlCharacters } from '#libs/platform';
import type { PersonGender } from '../domain/index.js';

// The number travels only in request bodies (never a path or a query string, which access logs keep).
const NationalId = () => Matches(/^\d{11}$/, { message: 'nationalId must be 11 digits' });

export class LookUpPersonRequest {
  @ApiProperty({ description: 'fødselsnummer or D-number, 11 digits' }) @NationalId() nationalId!: string;
}

export class RegisterPersonRequest {
  @ApiProperty({ description: 'fødselsnummer or D-number, 11 digits; the birth date is read from it' })
  @NationalId()
  nationalId!: string;
  @ApiProperty({ example: 'Ola Nordmann' }) @IsString() @Length(1, 120) @NoControlCharacters() name!: string;
  @ApiProperty({ enum: ['female', 'male', 'unknown'] })
  @IsIn(['female', 'male', 'unknown'])
  gender!: PersonGender;
}

export class ReplaceNationalIdRequest {
  @ApiProperty({ description: 'the new number (a fødselsnummer replacing a D-number), 11 digits' })
  @NationalId()
  nationalId!: string;
  @ApiProperty({ example: 'Folkeregisteret issued a fødselsnummer' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}

export class MergePeopleRequest {
  @ApiProperty({ description: 'the person retired: its numbers and history then name `into`' }) @IsUUID() from!: string;
  @ApiProperty({ description: 'the person who stays, with its id' }) @IsUUID() into!: string;
  @ApiProperty({ example: 'The D-number and the fødselsnummer are the same child' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}
