import { Body, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { SetWaiverBudgetCommand } from '../set-waiver-budget/set-waiver-budget.handler.js';
import { SchoolYearParam, SetWaiverBudgetRequest } from '../set-waiver-budget/set-waiver-budget.request.js';

/** The yearly waiver budget (admin): an amount, a number of waivers, or both. */
@ContextController('funding', 'funding/budgets/:schoolYear')
export class BudgetsController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('PUT', {
    roles: ['admin'],
    doc: {
      summary: "Set a school year's fee-waiver budget",
      response: shape({ schoolYear: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  set(
    @Param() { schoolYear }: SchoolYearParam,
    @Body() body: SetWaiverBudgetRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new SetWaiverBudgetCommand({ schoolYear, body }, context));
  }
}
