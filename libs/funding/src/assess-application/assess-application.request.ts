import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { NoControlCharacters, OptionalNotNull } from '#libs/platform';

export class BudgetOverrideRequest {
  @ApiPropertyOptional({ example: 'Granted beyond the budget by decision of the head of the culture school' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}

/** The caseworker decides by the year's schedule; the income is read from the people register, never sent here. */
export class AssessApplicationRequest {
  @ApiPropertyOptional({
    description: 'reject on other grounds than income (e.g. not resident); omit to decide by the schedule',
  })
  @OptionalNotNull()
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  rejectionReason?: string;
  @ApiPropertyOptional({
    type: BudgetOverrideRequest,
    description: 'admin only: grant even when the yearly budget is used up',
  })
  @OptionalNotNull()
  @IsObject({ message: 'budgetOverride must be an object with a reason' })
  @ValidateNested()
  @Type(() => BudgetOverrideRequest)
  budgetOverride?: BudgetOverrideRequest;
}
