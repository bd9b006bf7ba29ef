import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { District } from '../domain/index.js';
import { DISTRICTS } from '#libs/municipality';

export class JoinKulturdagRequest {
  @ApiProperty({ example: '2025-2026' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear!: string;
  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS)
  district!: District;
}
