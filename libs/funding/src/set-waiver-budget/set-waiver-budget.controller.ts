import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { SetWaiverBudgetCommand } from './set-waiver-budget.handler.js';
import { SchoolYearParam, SetWaiverBudgetRequest } from './set-waiver-budget.request.js';

/** The yearly waiver budget (admin): an amount, a number of waivers, or both. */
@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/budgets/:schoolYear')
export class SetWaiverBudgetController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @Roles('admin')
  set(
    @Param() { schoolYear }: SchoolYearParam,
    @Body() body: SetWaiverBudgetRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SetWaiverBudgetCommand(schoolYear, body, context));
  }
}
