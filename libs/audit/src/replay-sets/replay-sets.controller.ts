import { Param, Query } from '@nestjs/common';

import { CurrentPrincipal, type Principal, shape } from '#libs/platform';
import { OptionalPositiveInt } from '#libs/query';
import { ReplaySets } from './replay-sets.js';
import { AuditController, AuditRead } from '../shared/audit-http.js';

export class ReplayRowsParams {
  @OptionalPositiveInt({ default: 500 }, 10_000)
  limit?: number;
}

/** Read models rebuilt as of a past moment: which sets exist, and what their tables held then. */
@AuditController('replay-sets')
export class ReplaySetsController {
  constructor(private readonly sets: ReplaySets) {}

  /** The caller's tenant's sets only, each with its state (building, ready or failed, with the error). */
  @AuditRead(undefined, {
    summary: 'The replay sets built for auditors (read models rebuilt as of an instant)',
    response: shape({ sets: 'object[]' }),
  })
  async list(@CurrentPrincipal() principal: Principal) {
    return { sets: await this.sets.list(principal.tenant) };
  }

  @AuditRead(':name/tables/:table', {
    summary: 'Rows of one table of a replay set',
    response: shape({ name: 'string', table: 'string', rows: 'object[]' }),
    errors: [404, 409],
  })
  async rows(
    @Param('name') name: string,
    @Param('table') table: string,
    @Query() params: ReplayRowsParams,
    @CurrentPrincipal() principal: Principal,
  ) {
    return { name, table, rows: await this.sets.rows(principal.tenant, name, table, params.limit ?? 500) };
  }
}
