import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadOrCreateMasterKey, MasterKeyError } from './master-key.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'personal-data-key-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('master key', () => {
  it('takes PERSONAL_DATA_MASTER_KEY when it is set', async () => {
    const given = randomBytes(32);
    const key = await loadOrCreateMasterKey({
      env: { PERSONAL_DATA_MASTER_KEY: given.toString('base64') },
      dataDir: path.join(dataDir, 'unused'),
    });
    assert.deepEqual(key, given);
  });

  it('refuses a variable that is not 32 bytes of base64, without showing it', async () => {
    for (const bad of [randomBytes(16).toString('base64'), 'not base64 at all!', randomBytes(33).toString('base64')]) {
      await assert.rejects(
        loadOrCreateMasterKey({ env: { PERSONAL_DATA_MASTER_KEY: bad }, dataDir }),
        (error: unknown) =>
          error instanceof MasterKeyError &&
          error.message.startsWith('PERSONAL_DATA_MASTER_KEY must be 32 bytes in base64') &&
          !error.message.includes(bad),
      );
    }
  });

  it('insists on the variable in production', async () => {
    await assert.rejects(loadOrCreateMasterKey({ env: { NODE_ENV: 'production' }, dataDir }), MasterKeyError);
  });

  it('generates one key in the data folder, readable by the owner only, and keeps it', async () => {
    const dir = path.join(dataDir, 'embedded');
    const [first, concurrent] = await Promise.all([
      loadOrCreateMasterKey({ env: {}, dataDir: dir }),
      loadOrCreateMasterKey({ env: {}, dataDir: dir }),
    ]);
    const again = await loadOrCreateMasterKey({ env: {}, dataDir: dir });
    assert.equal(first.length, 32);
    assert.deepEqual(concurrent, first);
    assert.deepEqual(again, first);
    const file = path.join(dir, 'personal-data-master-key');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readFile(file, 'utf8')).trim(), first.toString('base64'));
  });

  it('never replaces a damaged key file', async () => {
    const dir = path.join(dataDir, 'damaged');
    await loadOrCreateMasterKey({ env: {}, dataDir: dir });
    const file = path.join(dir, 'personal-data-master-key');
    await writeFile(file, 'garbage');
    await assert.rejects(loadOrCreateMasterKey({ env: {}, dataDir: dir }), MasterKeyError);
    assert.equal(await readFile(file, 'utf8'), 'garbage');
  });
});
