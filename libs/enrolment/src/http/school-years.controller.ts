import { Body, Get, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CommandContextOf,
  ContextController,
  CurrentPrincipal,
  Roles,
  WriteRoute,
  type CommandContext,
  type Principal,
  shape,
  QueryOperation,
} from '#libs/platform';
import { RollOverSchoolYearCommand } from '../roll-over-school-year/roll-over-school-year.handler.js';
import { RollOverSchoolYearRequest } from '../roll-over-school-year/roll-over-school-year.request.js';
import { RolloverPlan } from '../roll-over-school-year/rollover-plan.js';

/** A new school year prepared from the last one: its offerings proposed, then opened with the places that continue. */
@ContextController('enrolment', 'enrolment/school-years/:schoolYear/rollover')
export class SchoolYearsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly plan: RolloverPlan,
  ) {}

  @QueryOperation({
    summary: "The offerings proposed for a new school year from the last one's",
    response: shape({ schoolYear: 'string', offerings: 'object[]' }),
    errors: [404],
  })
  @Get()
  @Roles('admin', 'caseworker')
  proposed(@Param('schoolYear') schoolYear: string, @CurrentPrincipal() principal: Principal) {
    return this.plan.propose(principal.tenant, schoolYear).then((offerings) => ({ schoolYear, offerings }));
  }

  @WriteRoute('POST', {
    status: 200,
    roles: ['admin'],
    doc: {
      summary: 'Roll over to a new school year',
      description: 'Opens the proposed offerings (with changes given) and carries over the places that continue.',
      response: shape({ schoolYear: 'string', offerings: 'object[]', endedPlaces: 'integer' }),
      errors: [404],
    },
  })
  rollOver(
    @Param('schoolYear') schoolYear: string,
    @Body() body: RollOverSchoolYearRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RollOverSchoolYearCommand({ ...body, schoolYear }, context));
  }
}
