import { Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { APP_CONFIG, CurrentPrincipal, type AppConfig, type Principal, shape } from '#libs/platform';
import { AUDIT_STORE } from '../store/audit-store-for.js';
import type { AuditStore } from '../store/audit-store.js';
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
    @Inject(AUDIT_STORE) private readonly source: AuditStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @AuditRead(undefined, {
    summary: "Verify the store's hash chain (one stream, or the whole store) and its anchors",
    response: shape({}, { additionalProperties: true }),
  })
  verify(@Query() params: IntegrityParams, @CurrentPrincipal() principal: Principal) {
    return verifyStore(this.source, principal.tenant, params.stream, { settings: anchoringSettings(this.config) });
  }
}
