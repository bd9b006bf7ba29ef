import { Inject, Injectable } from '@nestjs/common';
import type { Migration, Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';

export const payerReferenceMigrations: Migration[] = [
  {
    id: 'integration/0001-payer-references',
    sql: `
      -- payerRef (as in kulturskole.funding.v1) → the payer's personal-data subject and billing account.
      -- No name, national id or address here: those stay encrypted in the personal-data store.
      CREATE TABLE integration_payer_references (
        tenant text NOT NULL,
        payer_ref text NOT NULL,
        subject_ref text NOT NULL,
        billing_account text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, payer_ref)
      );
    `,
  },
];

export interface PayerReference {
  payerRef: string;
  /** The payer's id in the personal-data store, which an authorised billing system resolves further. */
  subjectRef: string;
  /** The payer's customer number in billing/ERP, once known. */
  billingAccount: string | null;
}

/** The stored references a billing system may resolve a payerRef to. */
@Injectable()
export class PayerReferences {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async find(tenant: string, payerRef: string): Promise<PayerReference | undefined> {
    const { rows } = await this.pool.query<{ subject_ref: string; billing_account: string | null }>(
      'SELECT subject_ref, billing_account FROM integration_payer_references WHERE tenant = $1 AND payer_ref = $2',
      [tenant, payerRef],
    );
    const row = rows[0];
    return row ? { payerRef, subjectRef: row.subject_ref, billingAccount: row.billing_account } : undefined;
  }

  async register(tenant: string, reference: PayerReference): Promise<void> {
    await this.pool.query(
      `INSERT INTO integration_payer_references (tenant, payer_ref, subject_ref, billing_account)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, payer_ref) DO UPDATE
         SET subject_ref = EXCLUDED.subject_ref, billing_account = EXCLUDED.billing_account, updated_at = now()`,
      [tenant, reference.payerRef, reference.subjectRef, reference.billingAccount],
    );
  }
}
