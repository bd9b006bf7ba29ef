import { Inject, Query } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { EventStore } from '#libs/event-store';
import { CurrentPrincipal, EVENT_STORE, type Principal, shape } from '#libs/platform';
import { parseUntil } from '../shared/until.js';
import { stateAsOf } from './state-as-of.js';
import { AuditController, AuditRead, IsStreamName } from '../shared/audit-http.js';

export class StateParams {
  @ApiProperty({ example: 'trondheim.enrolment.offering-0b6f9d7e-1111-4222-8333-944455556666' })
  @IsStreamName()
  stream!: string;

  @ApiProperty({ example: '2025-10-01T00:00:00Z', description: 'an ISO-8601 instant, or a position in $all' })
  @Matches(/^[0-9][0-9T:.+Z-]{0,40}$/, { message: 'until must be an instant or a position' })
  until!: string;
}

/** Any aggregate as its decider saw it at a past moment. */
@AuditController('state')
export class StateController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @AuditRead(undefined, {
    summary: "A stream's state as of an instant, folded from its events",
    response: shape({ streamName: 'string', asOf: 'string' }),
    errors: [404],
  })
  state(@Query() params: StateParams, @CurrentPrincipal() principal: Principal) {
    return stateAsOf(this.store, principal.tenant, params.stream, parseUntil(params.until));
  }
}
