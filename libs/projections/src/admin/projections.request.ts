import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { NoControlCharacters, OptionalNotNull } from '#libs/platform';

export class SkipEventRequest {
  @ApiProperty({ example: 'Payload written by a bug fixed in 1.4.2; the place was re-registered by hand' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @NoControlCharacters()
  reason!: string;
}

export class BuildAsOfRequest {
  @ApiProperty({ example: 'gsi_2025', description: 'Names the read-only schema asof_<name>' })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/)
  name!: string;

  @ApiPropertyOptional({ example: '2025-10-01T00:00:00+02:00', description: 'Events recorded up to this instant' })
  @OptionalNotNull()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ example: '123456789', description: 'Or: events up to this position in $all' })
  @OptionalNotNull()
  @Matches(/^\d{1,19}$/)
  untilPosition?: string;
}
