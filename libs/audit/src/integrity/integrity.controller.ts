import { Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Pool } from '#libs/database';
import { APP_CONFIG, CurrentPrincipal, PG_POOL, type AppConfig, type Principal } from '#libs/platform';
import { anchoringSettings } from '../anchoring/anchoring-settings.js';
import { verifyStore } from './verify-store.js';
import { AuditController, AuditRead, IsStreamName } from '../shared/audit-http.js';

export class IntegrityParams {
  @ApiPropertyOptional({ description: 'one stream; the whole store when left out' })
  @IsOptional()
  @IsStreamName()
  stream?: string;
}

/**
 * Walks the hash chains of the store (or one stream), compares the stored events with the signed anchors (the
 * configured anchor file and public key) and reports the first break.
 */
@AuditController('integrity')
export class IntegrityController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @AuditRead()
  verify(@Query() params: IntegrityParams, @CurrentPrincipal() principal: Principal) {
    return verifyStore(this.pool, principal.tenant, params.stream, { settings: anchoringSettings(this.config) });
  }
}
