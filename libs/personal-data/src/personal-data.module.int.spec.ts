import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import { APP_CONFIG, EVENT_STORE, loadConfig, PG_POOL } from '#libs/platform';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { PersonalDataModule } from './personal-data.module.js';
import { PersonalDataVault } from './personal-data-vault.js';
import { personalDataMigrations } from './subject-keys.migrations.js';

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase('personal_data_module');
  await migrate(db.pool, [...eventStoreMigrations, ...personalDataMigrations]);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'personal-data-module-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

// Stands in for PlatformModule: the global providers the module needs, with the settings given.
const platformWithSettings = (settings: Record<string, string>) => {
  @Global()
  @Module({
    providers: [
      { provide: PG_POOL, useValue: db.pool },
      { provide: APP_CONFIG, useValue: loadConfig(settings) },
      { provide: EVENT_STORE, useValue: new PostgresEventStore(db.pool) },
    ],
    exports: [PG_POOL, APP_CONFIG, EVENT_STORE],
  })
  class PlatformStandIn {}
  return PlatformStandIn;
};

describe('PersonalDataModule', () => {
  it('takes the master key from the validated settings, never from the process environment', async () => {
    const settingsKey = randomBytes(32);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'personal-data-key-'));
    const saved = process.env.PERSONAL_DATA_MASTER_KEY;
    process.env.PERSONAL_DATA_MASTER_KEY = 'not a key at all'; // would fail to decode if it were read
    try {
      const PlatformStandIn = platformWithSettings({
        DATA_DIR: dir,
        PERSONAL_DATA_MASTER_KEY: settingsKey.toString('base64'),
      });
      const app = await Test.createTestingModule({ imports: [PlatformStandIn, PersonalDataModule] }).compile();
      const vault = app.get(PersonalDataVault);
      const child = await vault.createSubject('trondheim');
      const name = await vault.encrypt('trondheim', child, 'name', 'Ola Nordmann');
      assert.equal(await vault.decrypt('trondheim', child, 'name', name), 'Ola Nordmann');
      await assert.rejects(stat(path.join(dir, 'personal-data-master-key')), /ENOENT/, 'no key kept on disk');
      await app.close();
    } finally {
      if (saved === undefined) delete process.env.PERSONAL_DATA_MASTER_KEY;
      else process.env.PERSONAL_DATA_MASTER_KEY = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('provides one vault over the platform pool, with a master key kept in the data folder', async () => {
    const PlatformStandIn = platformWithSettings({ DATA_DIR: dataDir });

    const app = await Test.createTestingModule({ imports: [PlatformStandIn, PersonalDataModule] }).compile();
    try {
      const vault = app.get(PersonalDataVault);
      const child = await vault.createSubject('trondheim');
      const name = await vault.encrypt('trondheim', child, 'name', 'Kari Nordmann');
      assert.equal(await vault.decrypt('trondheim', child, 'name', name), 'Kari Nordmann');
      assert.equal((await stat(path.join(dataDir, 'personal-data-master-key'))).mode & 0o777, 0o600);
    } finally {
      await app.close();
    }
  });
});
