import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { IsSchoolYear } from '#libs/platform';

/** A household's application for one school year; the income is encrypted before anything is written. */
export class ApplyForWaiverRequest {
  @ApiProperty({ description: "the paying guardian's fødselsnummer or D-number, 11 digits" })
  @Matches(/^\d{11}$/, { message: 'payerNationalId must be 11 digits' })
  payerNationalId!: string;
  @ApiProperty({ example: 4, description: 'people in the household, at least 1' })
  @IsInt({ message: 'householdSize must be a whole number' })
  @Min(1, { message: 'householdSize must be at least 1' })
  @Max(30, { message: 'householdSize must be at most 30' })
  householdSize!: number;
  @ApiProperty({ example: 450000, description: 'yearly household income in whole kroner (personal data)' })
  @IsInt({ message: 'householdIncomeNok must be a whole number of kroner' })
  @Min(0, { message: 'householdIncomeNok must not be negative' })
  @Max(100_000_000, { message: 'householdIncomeNok must be at most 100,000,000' })
  householdIncomeNok!: number;
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
}
