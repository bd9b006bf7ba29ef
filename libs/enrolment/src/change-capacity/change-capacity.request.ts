import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class ChangeCapacityRequest {
  @ApiProperty({ example: 14 }) @IsInt() @Min(1) @Max(500) capacity!: number;
}
