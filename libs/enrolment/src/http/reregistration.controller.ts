import { Body } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContextOf, ContextController, UuidParam, WriteRoute, type CommandContext, shape } from '#libs/platform';
import { ReregisterPlaceCommand } from '../reregister-place/reregister-place.handler.js';
import { ReregisterPlaceRequest } from '../reregister-place/reregister-place.request.js';

/** Rule 6: a place's yearly answer, continue or quit at the school year's end. */
@ContextController('enrolment', 'enrolment/places/:placeId/reregistration')
export class ReregistrationController {
  constructor(private readonly commands: CommandBus) {}

  @WriteRoute('POST', {
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Say whether a place continues next school year (re-registration)',
      response: shape({ offeringId: 'uuid', placeId: 'uuid', continues: 'boolean', revision: 'integer?' }),
      errors: [404],
    },
  })
  answer(
    @UuidParam('placeId') placeId: string,
    @Body() body: ReregisterPlaceRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new ReregisterPlaceCommand({ placeId, continues: body.continue }, context));
  }
}
