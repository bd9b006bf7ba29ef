import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsCalendarDate } from '#libs/platform';

export class TransferPlaceRequest {
  @ApiProperty() @IsUUID() toOfferingId!: string;
  @ApiProperty({ example: '2026-01-01' })
  @IsCalendarDate()
  effectiveOn!: string;
}
