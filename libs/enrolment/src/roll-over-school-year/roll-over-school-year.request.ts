import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { OptionalNotNull } from '#libs/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** An admin's change to one proposed offering: another capacity or fee, or not offered next year at all. */
export class RolloverAdjustment {
  @ApiProperty({ description: 'The previous school year’s offering' }) @IsUUID() fromOfferingId!: string;
  @ApiPropertyOptional({ example: 14 }) @IsOptional() @IsInt() @Min(1) @Max(500) capacity?: number;
  @ApiPropertyOptional({ example: 210_500, description: 'øre per semester' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  feePerSemesterOre?: number;
  @ApiPropertyOptional({ description: 'Not offered next year: its places end with the year' })
  @IsOptional()
  @IsBoolean()
  drop?: boolean;
}

export class RollOverSchoolYearRequest {
  @ApiPropertyOptional({ type: [RolloverAdjustment] })
  @OptionalNotNull()
  @IsArray()
  @IsObject({ each: true, message: 'each of adjustments must be an object naming fromOfferingId' })
  @ArrayMinSize(1, { message: 'adjustments, when given, must name at least one offering (omit it for none)' })
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => RolloverAdjustment)
  adjustments?: RolloverAdjustment[];
}
