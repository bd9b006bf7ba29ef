import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';
import type { ApplicationPayer } from '#libs/waitlist';

/** The payer an accepted offer's place is billed to, and the application it came with. */
export interface OfferPayer extends ApplicationPayer {
  applicationId: string;
}

/**
 * Which payer each application named (the guardian who applied, or another), and which application each offer went
 * to: what the funding process needs to register a payer when an offer becomes a place. Ids only, no personal data.
 */
@Injectable()
export class ApplicationPayers {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async recordApplication(tenant: string, applicationId: string, payer: ApplicationPayer): Promise<void> {
    await this.pool.query(
      `INSERT INTO funding_application_payers (tenant, application_id, payer_id, source) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, application_id) DO NOTHING`,
      [tenant, applicationId, payer.payerId, payer.source],
    );
  }

  /** Only offers of applications that named a payer are kept. */
  async recordOffer(tenant: string, offerId: string, applicationId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO funding_offer_payers (tenant, offer_id, application_id, payer_id, source)
       SELECT tenant, $2, application_id, payer_id, source FROM funding_application_payers
        WHERE tenant = $1 AND application_id = $3
       ON CONFLICT (tenant, offer_id) DO NOTHING`,
      [tenant, offerId, applicationId],
    );
  }

  async ofOffer(tenant: string, offerId: string): Promise<OfferPayer | undefined> {
    const { rows } = await this.pool.query<{ application_id: string; payer_id: string; source: string }>(
      'SELECT application_id, payer_id, source FROM funding_offer_payers WHERE tenant = $1 AND offer_id = $2',
      [tenant, offerId],
    );
    const row = rows[0];
    return row
      ? { applicationId: row.application_id, payerId: row.payer_id, source: row.source as ApplicationPayer['source'] }
      : undefined;
  }
}
