import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { createTestDatabase, fodselsnummerFor, type TestDatabase } from '#libs/testing';
import { masterKeyRing, MasterKeyError, type MasterKeyRing } from '../master-key.js';
import { PeopleRegister } from '../people-register.js';
import { PersonalDataVault } from '../personal-data-vault.js';
import { personalDataMigrations } from '../subject-keys.migrations.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const tenant = 'trondheim';

const open = (keys: MasterKeyRing, db: TestDatabase) => {
  const vault = new PersonalDataVault(db.pool, keys);
  return { vault, people: new PeopleRegister(db.pool, keys, vault) };
};

describe('master key rotation', () => {
  let db: TestDatabase;
  const nationalIds = [fodselsnummerFor('2014-03-01'), fodselsnummerFor('2015-04-02'), fodselsnummerFor('2016-05-03')];
  const subjects: string[] = [];
  let elsewhere: string;

  beforeAll(async () => {
    db = await createTestDatabase('master_key_rotation');
    await migrate(db.pool, personalDataMigrations);
    const { people } = open(masterKeyRing(oldKey), db);
    for (const [n, nationalId] of nationalIds.entries()) {
      const { subjectId } = await people.subjectFor(tenant, nationalId);
      await people.record(tenant, subjectId, { name: `Barn ${n}`, nationalId });
      subjects.push(subjectId);
    }
    await people.erase(tenant, subjects[2] ?? '', 'The family asked for erasure');
    // A key stored before keys had ids: found by trying every configured key.
    await db.pool.query('UPDATE subject_keys SET master_key_id = NULL WHERE subject_id = $1', [subjects[1]]);
    elsewhere = (await people.subjectFor('klaebu', nationalIds[0] ?? '')).subjectId;
  });
  afterAll(async () => db.drop());

  it('refuses a ring that repeats a key', () => {
    assert.throws(() => masterKeyRing(newKey, [newKey]), MasterKeyError);
  });

  it('reads and finds everyone with the new key current and the old one retired, before any re-wrap', async () => {
    const { vault, people } = open(masterKeyRing(newKey, [oldKey]), db);
    assert.equal(await vault.keysOnOtherMasterKeys(tenant), 2, 'the erased subject has no key to re-wrap');
    assert.deepEqual((await people.read(tenant, subjects[0] ?? '', ['name'])).name, 'Barn 0');
    // Found under the retired key's hash, and moved to the current one on the way.
    assert.deepEqual(await people.subjectFor(tenant, nationalIds[0] ?? ''), { subjectId: subjects[0], isNew: false });
  });

  it('re-wraps the tenant’s keys and re-hashes its identity links, then the old key is no longer needed', async () => {
    const rotating = open(masterKeyRing(newKey, [oldKey]), db);
    const rewrap = await rotating.vault.rewrapSubjectKeys(tenant, 1);
    assert.deepEqual(rewrap, { rewrapped: 2, unreadable: [] });
    assert.deepEqual(await rotating.people.rehashIdentities(tenant), { rehashed: 1, withoutNationalId: 0 });
    assert.equal(await rotating.vault.keysOnOtherMasterKeys(tenant), 0);
    assert.deepEqual(await rotating.vault.rewrapSubjectKeys(tenant), { rewrapped: 0, unreadable: [] }, 'idempotent');

    const { vault, people } = open(masterKeyRing(newKey), db);
    for (const [n, nationalId] of nationalIds.slice(0, 2).entries()) {
      assert.deepEqual(await people.subjectFor(tenant, nationalId), { subjectId: subjects[n], isNew: false });
      assert.equal((await people.read(tenant, subjects[n] ?? '', ['name'])).name, `Barn ${n}`);
    }
    assert.equal(await vault.isErased(tenant, subjects[2] ?? ''), true, 'the erased subject stays erased');

    const { rows } = await db.pool.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM subject_keys WHERE tenant = $1',
      [tenant],
    );
    assert.equal(rows[0]?.count, '3', 'no subject was created twice');
  });

  it('leaves other tenants to their own rotation', async () => {
    const { vault } = open(masterKeyRing(newKey, [oldKey]), db);
    assert.equal(await vault.keysOnOtherMasterKeys('klaebu'), 1);
  });

  it('the old key alone reads nothing any more, and says which key is missing', async () => {
    const { people } = open(masterKeyRing(oldKey), db);
    await assert.rejects(
      people.read(tenant, subjects[0] ?? '', ['name']),
      /neither PERSONAL_DATA_MASTER_KEY nor in PERSONAL_DATA_PREVIOUS_MASTER_KEYS/,
    );
  });

  it('reports a key no configured master key opens, and leaves it', async () => {
    const { vault } = open(masterKeyRing(randomBytes(32), [randomBytes(32)]), db);
    const report = await vault.rewrapSubjectKeys('klaebu');
    assert.deepEqual(report, { rewrapped: 0, unreadable: [elsewhere] });
  });
});
