import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { NoControlCharacters } from '#libs/platform';

/** Why the waiver stops; the reason is kept in the event. */
export class RevokeWaiverRequest {
  @ApiProperty({ example: 'The family moved out of the municipality' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}
