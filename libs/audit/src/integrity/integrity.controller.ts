import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Pool } from '#libs/database';
import { CurrentPrincipal, PG_POOL, Roles, type Principal } from '#libs/platform';
import { verifyStore } from './verify-store.js';

export class IntegrityParams {
  @ApiPropertyOptional({ description: 'one stream; the whole store when left out' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9.-]{1,100}-[A-Za-z0-9_-]{1,100}$/, { message: 'stream must be a stream name' })
  stream?: string;
}

/** Walks the hash chains of the store (or one stream) and reports the first break. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit/integrity')
export class IntegrityController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles('auditor', 'admin')
  verify(@Query() params: IntegrityParams, @CurrentPrincipal() principal: Principal) {
    return verifyStore(this.pool, principal.tenant, params.stream);
  }
}
