import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '#libs/platform';

export class WithdrawPlaceRequest {
  @ApiProperty({ example: '2025-12-31', description: "the place's last day" })
  @IsCalendarDate()
  effectiveOn!: string;
}
