import { Get } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  Clock,
  CommandContextOf,
  ContextController,
  CurrentPrincipal,
  Roles,
  UuidParam,
  WriteRoute,
  type CommandContext,
  type Principal,
  shape,
  QueryOperation,
} from '#libs/platform';
import { MainAdmissionPlan } from '../run-main-admission/main-admission-plan.js';
import { RunMainAdmissionCommand } from '../run-main-admission/run-main-admission.handler.js';

/** Rule 12: a coming school year's main admission, seen before it runs (which child gets which seat) and run. */
@ContextController('waitlist', 'waitlist/offerings/:offeringId/main-admission')
export class MainAdmissionController {
  constructor(
    private readonly commands: CommandBus,
    private readonly plan: MainAdmissionPlan,
    private readonly clock: Clock,
  ) {}

  @QueryOperation({
    summary: "An offering's main admission before it runs: which child would get which seat",
    response: shape({}, { additionalProperties: true }),
    errors: [404],
  })
  @Get()
  @Roles('admin', 'caseworker')
  planned(@UuidParam('offeringId') offeringId: string, @CurrentPrincipal() principal: Principal) {
    return this.plan.of(principal.tenant, offeringId, this.clock.now());
  }

  // Offers follow from the run (admission makes them in queue order), so the answer is 202 and says where to look.
  @WriteRoute('POST', {
    status: 202,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: "Run an offering's main admission",
      description: 'Accepted: the offers follow in queue order from the admission process manager.',
      response: shape({ offeringId: 'uuid', status: 'string', revision: 'integer?' }),
      errors: [404],
    },
  })
  run(@UuidParam('offeringId') offeringId: string, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new RunMainAdmissionCommand({ offeringId }, context));
  }
}
