import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from '#libs/database';
import { isErasedValue, PeopleRegister } from '#libs/personal-data';
import { AccessTrail, PG_POOL, Roles, type Principal } from '#libs/platform';
import { listRequest, ReadFrom, ReadModel, runList, type ReadContext, type ReadModelBody } from '#libs/query';
import { unbillablePlacesProjection } from './unbillable-places.projection.js';
import { unbillablePlacesSpec } from './unbillable-places.query.js';
import { UnbillablePlacesQueryParams } from './unbillable-places.request.js';

/** The roles that may see a child's name on the worklist; any other gets ids. */
const NAME_ROLES: readonly string[] = ['admin', 'caseworker'];

/**
 * Caseworkers' worklist of places that cannot be billed, and why. Rows name children and payers by pseudonymous id
 * only; reading the list is still recorded in the access trail, as the fee-waiver lists are.
 */
@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/worklists')
export class UnbillablePlacesController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly trail: AccessTrail,
    private readonly people: PeopleRegister,
  ) {}

  @Get('unbillable-places')
  @Roles('admin', 'caseworker')
  @ApiOperation({ summary: 'Places that cannot be billed (no payer, payer erased, fee missing), one row per place' })
  @ReadModel({ projection: unbillablePlacesProjection, csvName: 'unbillable-places' })
  async list(@Query() query: UnbillablePlacesQueryParams, @ReadFrom() read: ReadContext): Promise<ReadModelBody> {
    await this.trail.recordRead(read.principal, 'funding.worklists.unbillable-places', 'list');
    const { reason, schoolYear, semester, offeringId, childId, payerId, withdrawn } = query;
    const spec = unbillablePlacesSpec(read.source.table, reason);
    const filters = {
      schoolYear,
      semester,
      offeringId,
      childId,
      payerId,
      withdrawn: withdrawn === undefined ? undefined : withdrawn === 'true',
    };
    const result = await runList(this.pool, spec, listRequest(read, query, filters));
    // Names only when asked, never in CSV, and only for the roles allowed them: each read is recorded, as the queue's.
    if (query.names !== 'true' || read.csv || !NAME_ROLES.includes(read.principal.role)) return { ...result };
    const items = [];
    for (const row of result.items as { childId: string }[])
      items.push({ ...row, childName: await this.nameOf(read.principal, row.childId) });
    return { ...result, items };
  }

  private async nameOf(principal: Principal, childId: string): Promise<string> {
    await this.trail.recordRead(principal, 'read child name (unbillable places)', childId);
    const { name } = await this.people.read(principal.tenant, childId, ['name']);
    return name === undefined ? '' : isErasedValue(name) ? '[erased]' : name;
  }
}
