import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

/** Rule 6: the family's answer to this spring's question. */
export class ReregisterPlaceRequest {
  @ApiProperty({ description: 'true: the place continues next school year; false: it ends on 31 July' })
  @IsBoolean()
  continue!: boolean;
}
