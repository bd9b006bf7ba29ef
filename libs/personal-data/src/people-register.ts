import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';
import {
  ERASED,
  PERSONAL_DATA_MASTER_KEY,
  PersonalDataVault,
  type Erased,
  type Erasure,
} from './personal-data-vault.js';

/** The personal fields the platform keeps about a child or a guardian, always encrypted under the subject's key. */
export type PersonalField =
  'name' | 'nationalId' | 'address' | 'guardianName' | 'guardianEmail' | 'guardianPhone' | 'householdIncome';

export type PersonalRecord = Partial<Record<PersonalField, string | Erased>>;

/**
 * Who is who, without plaintext: finds the pseudonymous subject of a national id through a keyed hash, and keeps
 * the subject's personal fields as ciphertext. Erasing removes the key, the identity link and the ciphertexts.
 */
@Injectable()
export class PeopleRegister {
  private readonly identityKey: Buffer;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA_MASTER_KEY) masterKey: Buffer,
    private readonly vault: PersonalDataVault,
  ) {
    this.identityKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'kulturskole identity index', 32));
  }

  /** The same national id always gives the same subject (in one tenant), so a child's applications meet. */
  async subjectFor(tenant: string, nationalId: string): Promise<{ subjectId: string; isNew: boolean }> {
    const hash = createHmac('sha256', this.identityKey).update(`${tenant}:${nationalId}`).digest();
    const existing = await this.lookup(tenant, hash);
    if (existing) return { subjectId: existing, isNew: false };
    const created = await this.vault.createSubject(tenant);
    const { rowCount } = await this.pool.query(
      `INSERT INTO subject_identities (tenant, identity_hash, subject_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [tenant, hash, created],
    );
    if (rowCount === 1) return { subjectId: created, isNew: true };
    // Another request registered the same person first: use theirs, and shred the spare key at once.
    await this.vault.erase(tenant, created, 'duplicate registration discarded');
    const winner = await this.lookup(tenant, hash);
    if (!winner) throw new Error('identity link vanished while registering');
    return { subjectId: winner, isNew: false };
  }

  async record(tenant: string, subjectId: string, fields: Partial<Record<PersonalField, string>>): Promise<void> {
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const ciphertext = await this.vault.encrypt(tenant, subjectId, field, value);
      await this.pool.query(
        `INSERT INTO personal_fields (tenant, subject_id, field, ciphertext) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, subject_id, field) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, updated_at = now()`,
        [tenant, subjectId, field, ciphertext],
      );
    }
  }

  /** Decrypted fields, or ERASED for each once the subject is erased. */
  async read(tenant: string, subjectId: string, fields: readonly PersonalField[]): Promise<PersonalRecord> {
    if (await this.vault.isErased(tenant, subjectId)) return Object.fromEntries(fields.map((f) => [f, ERASED]));
    const { rows } = await this.pool.query<{ field: PersonalField; ciphertext: string }>(
      'SELECT field, ciphertext FROM personal_fields WHERE tenant = $1 AND subject_id = $2 AND field = ANY ($3)',
      [tenant, subjectId, fields],
    );
    const record: PersonalRecord = {};
    for (const row of rows) record[row.field] = await this.vault.decrypt(tenant, subjectId, row.field, row.ciphertext);
    return record;
  }

  async erase(tenant: string, subjectId: string, reason: string): Promise<Erasure> {
    const erasure = await this.vault.erase(tenant, subjectId, reason);
    await this.pool.query('DELETE FROM personal_fields WHERE tenant = $1 AND subject_id = $2', [tenant, subjectId]);
    await this.pool.query('DELETE FROM subject_identities WHERE tenant = $1 AND subject_id = $2', [tenant, subjectId]);
    return erasure;
  }

  private async lookup(tenant: string, hash: Buffer): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string }>(
      'SELECT subject_id FROM subject_identities WHERE tenant = $1 AND identity_hash = $2',
      [tenant, hash],
    );
    return rows[0]?.subject_id;
  }
}
