import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';
import type { MasterKeyRing } from './master-key.js';
import {
  ERASED,
  isErasedValue,
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
  /** The current master key's identity key first, then the retired ones' (during a rotation). */
  private readonly identityKeys: Buffer[];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA_MASTER_KEY) keys: MasterKeyRing,
    private readonly vault: PersonalDataVault,
  ) {
    this.identityKeys = [keys.current, ...keys.previous].map(({ key }) =>
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'kulturskole identity index', 32)),
    );
  }

  /** The same national id always gives the same subject (in one tenant), so a child's applications meet. */
  async subjectFor(tenant: string, nationalId: string): Promise<{ subjectId: string; isNew: boolean }> {
    const [hash, ...retired] = this.hashes(tenant, nationalId);
    if (!hash) throw new Error('no identity key');
    const existing = await this.lookup(tenant, hash, retired);
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

  /** The subject of a national id already registered in the tenant, if any; reads only, creates nothing. */
  async knownSubject(tenant: string, nationalId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string }>(
      'SELECT subject_id FROM subject_identities WHERE tenant = $1 AND identity_hash = ANY ($2::bytea[]) LIMIT 1',
      [tenant, this.hashes(tenant, nationalId)],
    );
    return rows[0]?.subject_id;
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

  /** Erases the subject; its old bytes are purged from disk at once, or by `purgeErased` after a batch. */
  async erase(
    tenant: string,
    subjectId: string,
    reason: string,
    options: { deferPurge?: boolean } = {},
  ): Promise<Erasure> {
    const erasure = await this.vault.erase(tenant, subjectId, reason);
    await this.pool.query('DELETE FROM personal_fields WHERE tenant = $1 AND subject_id = $2', [tenant, subjectId]);
    await this.pool.query('DELETE FROM subject_identities WHERE tenant = $1 AND subject_id = $2', [tenant, subjectId]);
    if (!options.deferPurge) await this.purgeErased();
    return erasure;
  }

  /** See PersonalDataVault.purgeErased. */
  purgeErased() {
    return this.vault.purgeErased();
  }

  /**
   * After a master key rotation: every identity link hashed under a retired key is hashed again under the current
   * one, from the subject's encrypted national id. Links without one (a registration cut short) are counted.
   */
  async rehashIdentities(tenant: string): Promise<{ rehashed: number; withoutNationalId: number }> {
    const { rows } = await this.pool.query<{ identity_hash: Buffer; subject_id: string; ciphertext: string | null }>(
      `SELECT i.identity_hash, i.subject_id::text, f.ciphertext FROM subject_identities i
         LEFT JOIN personal_fields f ON f.tenant = i.tenant AND f.subject_id = i.subject_id AND f.field = 'nationalId'
        WHERE i.tenant = $1`,
      [tenant],
    );
    let rehashed = 0;
    let withoutNationalId = 0;
    for (const row of rows) {
      const nationalId = row.ciphertext
        ? await this.vault.decrypt(tenant, row.subject_id, 'nationalId', row.ciphertext)
        : undefined;
      if (nationalId === undefined || isErasedValue(nationalId)) {
        withoutNationalId += 1;
        continue;
      }
      const [current] = this.hashes(tenant, nationalId);
      if (!current || current.equals(row.identity_hash)) continue;
      await this.pool.query(
        'UPDATE subject_identities SET identity_hash = $3 WHERE tenant = $1 AND identity_hash = $2',
        [tenant, row.identity_hash, current],
      );
      rehashed += 1;
    }
    return { rehashed, withoutNationalId };
  }

  private hashes(tenant: string, nationalId: string): Buffer[] {
    return this.identityKeys.map((key) => createHmac('sha256', key).update(`${tenant}:${nationalId}`).digest());
  }

  // A link found under a retired key is moved to the current one on the way.
  private async lookup(tenant: string, hash: Buffer, retired: readonly Buffer[] = []): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string; identity_hash: Buffer }>(
      'SELECT subject_id, identity_hash FROM subject_identities WHERE tenant = $1 AND identity_hash = ANY ($2::bytea[])',
      [tenant, [hash, ...retired]],
    );
    const found = rows.find((row) => row.identity_hash.equals(hash)) ?? rows[0];
    if (found && !found.identity_hash.equals(hash)) {
      await this.pool.query(
        'UPDATE subject_identities SET identity_hash = $3 WHERE tenant = $1 AND identity_hash = $2',
        [tenant, found.identity_hash, hash],
      );
    }
    return found?.subject_id;
  }
}
