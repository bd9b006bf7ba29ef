import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, OptionalNotNull } from '#libs/platform';

export class PutOnLeaveRequest {
  @ApiProperty({ example: '2026-01-05' })
  @IsCalendarDate()
  from!: string;
  @ApiPropertyOptional({ example: '2026-06-20' })
  @OptionalNotNull()
  @IsCalendarDate()
  until?: string;
}
