import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsSchoolYear, OptionalNotNull } from '#libs/platform';

/** An amount, a number of waivers, or both (the decider refuses a budget with neither). */
export class SetWaiverBudgetRequest {
  @ApiPropertyOptional({ example: 2_000_000, description: 'the most the year may waive, in whole kroner' })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  maxAmountNok?: number;
  @ApiPropertyOptional({ example: 100, description: 'the most waivers the year may grant (Stavanger: 100)' })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(100_000)
  maxWaivers?: number;
}

export class SchoolYearParam {
  @ApiProperty({ example: '2026-2027' })
  @IsSchoolYear()
  schoolYear!: string;
}
