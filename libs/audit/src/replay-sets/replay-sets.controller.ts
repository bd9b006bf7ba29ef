import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#libs/platform';
import { OptionalPositiveInt } from '#libs/query';
import { ReplaySets } from './replay-sets.js';

export class ReplayRowsParams {
  @OptionalPositiveInt({ default: 500 }, 10_000)
  limit?: number;
}

/** Read models rebuilt as of a past moment: which sets exist, and what their tables held then. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit/replay-sets')
export class ReplaySetsController {
  constructor(private readonly sets: ReplaySets) {}

  @Get()
  @Roles('auditor', 'admin')
  async list() {
    return { sets: await this.sets.list() };
  }

  @Get(':name/tables/:table')
  @Roles('auditor', 'admin')
  async rows(
    @Param('name') name: string,
    @Param('table') table: string,
    @Query() params: ReplayRowsParams,
    @CurrentPrincipal() principal: Principal,
  ) {
    return { name, table, rows: await this.sets.rows(principal.tenant, name, table, params.limit ?? 500) };
  }
}
