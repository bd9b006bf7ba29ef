import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { nok } from '../domain/index.js';
import { FundingStreams } from '../shared/funding-streams.js';

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

/** The yearly waiver budget (admin): an amount, a number of waivers, or both. */
@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/budgets/:schoolYear')
export class SetWaiverBudgetController {
  constructor(private readonly streams: FundingStreams) {}

  @Put()
  @Roles('admin')
  async set(
    @Param() { schoolYear }: SchoolYearParam,
    @Body() body: SetWaiverBudgetRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const maxAmount = body.maxAmountNok === undefined ? null : nok(body.maxAmountNok);
    const maxWaivers = body.maxWaivers ?? null;
    const { revision } = await this.streams.budget(
      schoolYear,
      { type: 'SetWaiverBudget', data: { schoolYear, maxAmount, maxWaivers, setBy: context.principal.subject } },
      context,
    );
    return { schoolYear, maxAmountOre: maxAmount, maxWaivers, revision };
  }
}
