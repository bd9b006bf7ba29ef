import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** An amount, a number of waivers, or both (the decider refuses a budget with neither). */
export class SetWaiverBudgetRequest {
  @ApiPropertyOptional({ example: 2_000_000, description: 'the most the year may waive, in whole kroner' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  maxAmountNok?: number;
  @ApiPropertyOptional({ example: 100, description: 'the most waivers the year may grant (Stavanger: 100)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  maxWaivers?: number;
}

export class SchoolYearParam {
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear!: string;
}
