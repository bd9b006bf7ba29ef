import { Body, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext } from '#libs/platform';
import { SetWaiverBudgetCommand } from '../set-waiver-budget/set-waiver-budget.handler.js';
import { SchoolYearParam, SetWaiverBudgetRequest } from '../set-waiver-budget/set-waiver-budget.request.js';

/** The yearly waiver budget (admin): an amount, a number of waivers, or both. */
@ContextController('funding', 'funding/budgets/:schoolYear')
export class BudgetsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('PUT', { roles: ['admin'] })
  set(
    @Param() { schoolYear }: SchoolYearParam,
    @Body() body: SetWaiverBudgetRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SetWaiverBudgetCommand({ schoolYear, body }, context));
  }
}
