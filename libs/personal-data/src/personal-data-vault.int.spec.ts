import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import {
  DataSubjectErased,
  ERASED,
  isErasedValue,
  ErasureNeedsReason,
  PersonalDataVault,
  UnknownDataSubject,
} from './personal-data-vault.js';
import { masterKeyRing } from './master-key.js';
import { UnreadableCiphertext } from './sealed-box.js';
import { personalDataMigrations } from './subject-keys.migrations.js';

let db: TestDatabase;
let vault: PersonalDataVault;
const masterKey = masterKeyRing(randomBytes(32));

beforeAll(async () => {
  db = await createTestDatabase('personal_data');
  await migrate(db.pool, personalDataMigrations);
  vault = new PersonalDataVault(db.pool, masterKey);
});
afterAll(async () => db.drop());

const storedRow = async (subjectId: string) => {
  const { rows } = await db.pool.query<{
    tenant: string;
    wrapped_key: Buffer | null;
    erased_at: Date | null;
    erasure_reason: string | null;
  }>('SELECT tenant, wrapped_key, erased_at, erasure_reason FROM subject_keys WHERE subject_id = $1', [subjectId]);
  const row = rows[0];
  if (!row) throw new Error(`no row for ${subjectId}`);
  return row;
};

// Flips one bit of one base64url part: still well-formed, no longer authentic.
const tamper = (ciphertext: string, part: number): string => {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
};

describe('personal data vault', () => {
  it('round-trips a field, and never writes the same ciphertext twice', async () => {
    const child = await vault.createSubject('trondheim');
    const first = await vault.encrypt('trondheim', child, 'name', 'Åse Ødegård');
    const second = await vault.encrypt('trondheim', child, 'name', 'Åse Ødegård');
    assert.notEqual(first, second);
    assert.equal(await vault.decrypt('trondheim', child, 'name', first), 'Åse Ødegård');
    assert.equal(await vault.decrypt('trondheim', child, 'name', second), 'Åse Ødegård');
  });

  it('reads with a cold cache from the stored key (another process, a restart)', async () => {
    const child = await vault.createSubject('trondheim');
    const ciphertext = await vault.encrypt('trondheim', child, 'address', 'Munkegata 1, 7013 Trondheim');
    const restarted = new PersonalDataVault(db.pool, masterKey);
    assert.equal(await restarted.decrypt('trondheim', child, 'address', ciphertext), 'Munkegata 1, 7013 Trondheim');
  });

  it('stores the subject key wrapped, never as the bare 32 bytes', async () => {
    const child = await vault.createSubject('trondheim');
    const row = await storedRow(child);
    assert.equal(row.tenant, 'trondheim');
    assert.equal(row.wrapped_key?.length, 12 + 16 + 32);
    assert.equal(row.erased_at, null);
  });

  it('refuses a tampered ciphertext: iv, tag or ciphertext', async () => {
    const child = await vault.createSubject('trondheim');
    const ciphertext = await vault.encrypt('trondheim', child, 'name', 'Kari Nordmann');
    for (const part of [1, 2, 3]) {
      await assert.rejects(vault.decrypt('trondheim', child, 'name', tamper(ciphertext, part)), UnreadableCiphertext);
    }
    await assert.rejects(vault.decrypt('trondheim', child, 'name', 'Kari Nordmann'), UnreadableCiphertext);
  });

  it('refuses a ciphertext moved to another field or another subject', async () => {
    const [kari, ola] = [await vault.createSubject('trondheim'), await vault.createSubject('trondheim')];
    const karisName = await vault.encrypt('trondheim', kari, 'name', 'Kari Nordmann');
    await assert.rejects(vault.decrypt('trondheim', kari, 'guardianName', karisName), UnreadableCiphertext);
    await assert.rejects(vault.decrypt('trondheim', ola, 'name', karisName), UnreadableCiphertext);
  });

  it("never lets one tenant read or erase another tenant's subject", async () => {
    const child = await vault.createSubject('trondheim');
    const ciphertext = await vault.encrypt('trondheim', child, 'name', 'Kari Nordmann'); // warms the cache too
    await assert.rejects(vault.decrypt('malvik', child, 'name', ciphertext), UnknownDataSubject);
    await assert.rejects(vault.encrypt('malvik', child, 'name', 'x'), UnknownDataSubject);
    await assert.rejects(vault.erase('malvik', child, 'wrong tenant'), UnknownDataSubject);
    await assert.rejects(vault.isErased('malvik', child), UnknownDataSubject);
    assert.equal(await vault.isErased('trondheim', child), false);
  });

  it('refuses unknown and malformed subject ids without echoing what was given', async () => {
    await assert.rejects(vault.decrypt('trondheim', randomUUID(), 'name', 'v1.a.b.c'), UnknownDataSubject);
    await assert.rejects(
      vault.encrypt('trondheim', '15081251298', 'name', 'x'),
      (error: unknown) => error instanceof UnknownDataSubject && !error.message.includes('15081251298'),
    );
  });

  it('reads erased after an erasure, even with the key warm in the cache', async () => {
    const child = await vault.createSubject('trondheim');
    const name = await vault.encrypt('trondheim', child, 'name', 'Kari Nordmann');
    assert.equal(await vault.decrypt('trondheim', child, 'name', name), 'Kari Nordmann'); // warm
    const erasure = await vault.erase('trondheim', child, 'guardian asked for erasure (GDPR art. 17)');
    assert.equal(erasure.alreadyErased, false);
    assert.deepEqual(await vault.decrypt('trondheim', child, 'name', name), ERASED);
    assert.equal(await vault.isErased('trondheim', child), true);
    await assert.rejects(vault.encrypt('trondheim', child, 'name', 'Kari Nordmann'), DataSubjectErased);
  });

  it('reads erased through another vault instance, as another process would', async () => {
    const child = await vault.createSubject('trondheim');
    const name = await vault.encrypt('trondheim', child, 'name', 'Kari Nordmann');
    const elsewhere = new PersonalDataVault(db.pool, masterKey);
    await vault.erase('trondheim', child, 'retention period ended');
    assert.deepEqual(await elsewhere.decrypt('trondheim', child, 'name', name), ERASED);
  });

  it('makes another process drop its cached key at once when a subject is erased', async () => {
    const child = await vault.createSubject('trondheim');
    const name = await vault.encrypt('trondheim', child, 'name', 'Kari Nordmann');
    const elsewhere = new PersonalDataVault(db.pool, masterKey);
    await elsewhere.onModuleInit();
    try {
      assert.equal(await elsewhere.decrypt('trondheim', child, 'name', name), 'Kari Nordmann'); // its cache is warm
      await vault.erase('trondheim', child, 'retention period ended');
      const deadline = Date.now() + 2_000;
      let read = await elsewhere.decrypt('trondheim', child, 'name', name);
      while (!isErasedValue(read) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        read = await elsewhere.decrypt('trondheim', child, 'name', name);
      }
      assert.deepEqual(read, ERASED, 'within moments, not after the 30 s cache lifetime');
    } finally {
      await elsewhere.onModuleDestroy();
    }
  });

  it('removes the key bytes from the table but keeps the proof of erasure', async () => {
    const child = await vault.createSubject('trondheim');
    const before = await storedRow(child);
    const erasure = await vault.erase('trondheim', child, 'retention period ended');
    const row = await storedRow(child);
    assert.equal(row.wrapped_key, null);
    assert.ok(before.wrapped_key);
    const { rows } = await db.pool.query<{ found: number }>(
      'SELECT count(*)::int AS found FROM subject_keys WHERE position($1::bytea IN coalesce(wrapped_key, $2)) > 0',
      [before.wrapped_key, Buffer.alloc(0)],
    );
    assert.equal(rows[0]?.found, 0);
    assert.deepEqual(row.erased_at, erasure.erasedAt);
    assert.equal(row.erasure_reason, 'retention period ended');
  });

  it('treats a second erasure as a no-op that keeps the first time and reason', async () => {
    const child = await vault.createSubject('trondheim');
    const first = await vault.erase('trondheim', child, 'first reason');
    const second = await vault.erase('trondheim', child, 'second reason');
    assert.deepEqual(second, { erasedAt: first.erasedAt, alreadyErased: true });
    assert.equal((await storedRow(child)).erasure_reason, 'first reason');
  });

  it('needs a reason to erase', async () => {
    const child = await vault.createSubject('trondheim');
    await assert.rejects(vault.erase('trondheim', child, '  '), ErasureNeedsReason);
    assert.equal(await vault.isErased('trondheim', child), false);
  });

  it('keeps a national identity number out of its ciphertext', async () => {
    const child = await vault.createSubject('trondheim');
    const fnr = '15081251298';
    const ciphertext = await vault.encrypt('trondheim', child, 'nationalIdentityNumber', fnr);
    assert.ok(!ciphertext.includes(fnr));
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      assert.ok(!ciphertext.includes(Buffer.from(fnr).toString(encoding).slice(0, 8)));
    }
    assert.equal(await vault.decrypt('trondheim', child, 'nationalIdentityNumber', ciphertext), fnr);
  });

  it('stops with a clear message when the master key is not the one the keys were wrapped with', async () => {
    const child = await vault.createSubject('trondheim');
    const ciphertext = await vault.encrypt('trondheim', child, 'name', 'x');
    const misconfigured = new PersonalDataVault(db.pool, masterKeyRing(randomBytes(32)));
    await assert.rejects(misconfigured.decrypt('trondheim', child, 'name', ciphertext), /PERSONAL_DATA_MASTER_KEY/);
  });
});
