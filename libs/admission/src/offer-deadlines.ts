import type { Migration, Pool } from '#libs/database';

export const admissionMigrations: Migration[] = [
  {
    id: 'admission/0001-offer-deadlines',
    sql: `
      CREATE TABLE admission_offer_deadlines (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        offer_id uuid NOT NULL,
        deadline timestamptz NOT NULL,
        PRIMARY KEY (tenant, offer_id)
      );
      CREATE INDEX admission_offer_deadlines_due ON admission_offer_deadlines (deadline);
    `,
  },
];

export interface DueOffer {
  tenant: string;
  offeringId: string;
  offerId: string;
}

/**
 * Outstanding offers and their deadlines, derived from the store (PlaceOffered adds, an answer removes): deadlines
 * live in the store, this table only indexes them, so a restart loses none and a rebuild recreates it.
 */
export class OfferDeadlines {
  constructor(private readonly pool: Pool) {}

  async add(offer: DueOffer & { deadline: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO admission_offer_deadlines (tenant, offering_id, offer_id, deadline) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, offer_id) DO NOTHING`,
      [offer.tenant, offer.offeringId, offer.offerId, offer.deadline],
    );
  }

  async remove(tenant: string, offerId: string): Promise<void> {
    await this.pool.query('DELETE FROM admission_offer_deadlines WHERE tenant = $1 AND offer_id = $2', [
      tenant,
      offerId,
    ]);
  }

  async due(now: Date, limit = 100): Promise<DueOffer[]> {
    const { rows } = await this.pool.query<{ tenant: string; offering_id: string; offer_id: string }>(
      `SELECT tenant, offering_id, offer_id FROM admission_offer_deadlines WHERE deadline <= $1
       ORDER BY deadline LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ tenant: r.tenant, offeringId: r.offering_id, offerId: r.offer_id }));
  }
}
