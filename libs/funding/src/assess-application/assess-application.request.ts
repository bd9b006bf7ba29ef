import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateNested } from 'class-validator';

export class BudgetOverrideRequest {
  @ApiPropertyOptional({ example: 'Granted beyond the budget by decision of the head of the culture school' })
  @IsString()
  @Length(5, 500)
  reason!: string;
}

/** The caseworker decides by the year's schedule; the income is read from the people register, never sent here. */
export class AssessApplicationRequest {
  @ApiPropertyOptional({
    description: 'reject on other grounds than income (e.g. not resident); omit to decide by the schedule',
  })
  @IsOptional()
  @IsString()
  @Length(5, 500)
  rejectionReason?: string;
  @ApiPropertyOptional({
    type: BudgetOverrideRequest,
    description: 'admin only: grant even when the yearly budget is used up',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetOverrideRequest)
  budgetOverride?: BudgetOverrideRequest;
}
