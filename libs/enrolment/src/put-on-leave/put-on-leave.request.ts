import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '#libs/platform';

export class PutOnLeaveRequest {
  @ApiProperty({ example: '2026-01-05' })
  @IsCalendarDate()
  from!: string;
  @ApiPropertyOptional({ example: '2026-06-20' })
  @IsOptional()
  @IsCalendarDate()
  until?: string;
}
