import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import { APP_CONFIG, ConfigError, EVENT_STORE, loadConfig, PG_POOL } from '#libs/platform';
import { createTestDatabase, fodselsnummerFor, type TestDatabase } from '#libs/testing';
import { InvalidFodselsnummer } from '../fodselsnummer.js';
import { PeopleRegister } from '../people-register.js';
import { PersonalDataModule } from '../personal-data.module.js';
import { personalDataMigrations } from '../subject-keys.migrations.js';
import { PersonalDataIntake } from './personal-data-intake.js';

let db: TestDatabase;
let dataDir: string;
const modules: TestingModule[] = [];

/** The module as an app gets it, over a platform stand-in whose configuration is read from `env`. */
const moduleWith = async (env: Record<string, string> = {}) => {
  @Global()
  @Module({
    providers: [
      { provide: PG_POOL, useValue: db.pool },
      { provide: APP_CONFIG, useValue: loadConfig({ DATA_DIR: dataDir, ...env }) },
      { provide: EVENT_STORE, useValue: new PostgresEventStore(db.pool) },
    ],
    exports: [PG_POOL, APP_CONFIG, EVENT_STORE],
  })
  class PlatformStandIn {}
  const module = await Test.createTestingModule({ imports: [PlatformStandIn, PersonalDataModule] }).compile();
  modules.push(module);
  return { intake: module.get(PersonalDataIntake), people: module.get(PeopleRegister) };
};

const count = async (table: 'subject_keys' | 'personal_fields') =>
  Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

beforeAll(async () => {
  db = await createTestDatabase('personal_data_intake');
  await migrate(db.pool, [...eventStoreMigrations, ...personalDataMigrations]);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'personal-data-intake-'));
});
afterAll(async () => {
  for (const module of modules) await module.close();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('PersonalDataIntake', () => {
  it('checks the number, finds or creates the subject, and seals the fields with the number under its key', async () => {
    const { intake, people } = await moduleWith();
    const nationalId = fodselsnummerFor('2015-02-01');
    const first = await intake.receive('trondheim', {
      nationalId,
      field: 'child.nationalId',
      fields: { name: 'Astrid Aune', address: 'Ranheimsvegen 1, 7054 Ranheim' },
    });
    expect(first).toMatchObject({ isNew: true, birthDate: '2015-02-01', kind: 'fodselsnummer' });
    expect(await people.read('trondheim', first.subjectId, ['name', 'address', 'nationalId'])).toEqual({
      name: 'Astrid Aune',
      address: 'Ranheimsvegen 1, 7054 Ranheim',
      nationalId,
    });
    const { rows } = await db.pool.query<{ ciphertext: string }>('SELECT ciphertext FROM personal_fields');
    expect(rows.some((row) => row.ciphertext.includes('Astrid') || row.ciphertext.includes(nationalId))).toBe(false);

    const again = await intake.receive('trondheim', { nationalId, field: 'payerNationalId' });
    expect(again).toMatchObject({ subjectId: first.subjectId, isNew: false });
  });

  it('registers a person arriving in many requests at once as one subject with one key, sealed under that key', async () => {
    const { intake, people } = await moduleWith();
    const nationalId = fodselsnummerFor('2016-03-04');
    const keysBefore = await count('subject_keys');
    const received = await Promise.all(
      ['Kari', 'Kari', 'Kari', 'Kari', 'Kari', 'Kari'].map((name, i) =>
        intake.receive('trondheim', {
          nationalId,
          field: 'child.nationalId',
          fields: { name: `${name} ${i}` },
          beforeStoring: async () => undefined,
        }),
      ),
    );
    const subjects = new Set(received.map((r) => r.subjectId));
    expect(subjects.size).toBe(1);
    expect(received.filter((r) => r.isNew)).toHaveLength(1);
    // No spare key of a request that lost the race is left behind, erased or not.
    expect(await count('subject_keys')).toBe(keysBefore + 1);
    const [subjectId] = [...subjects];
    const { name } = await people.read('trondheim', subjectId ?? '', ['name']);
    expect(name).toMatch(/^Kari [0-5]$/);
  });

  it('refuses an invalid number naming the field, not the number, and stores nothing', async () => {
    const { intake } = await moduleWith();
    const before = [await count('subject_keys'), await count('personal_fields')];
    const refusal = intake.receive('trondheim', {
      nationalId: '17051450001',
      field: 'payerNationalId',
      fields: { name: 'Nobody' },
    });
    await expect(refusal).rejects.toThrow(InvalidFodselsnummer);
    await expect(refusal).rejects.toThrow(/^payerNationalId is not a valid national identity number/);
    await expect(refusal).rejects.not.toThrow(/17051450001/);
    expect([await count('subject_keys'), await count('personal_fields')]).toEqual(before);
  });

  it('stores nothing when the check before storing refuses, and hands that check the parsed number', async () => {
    const { intake } = await moduleWith();
    const before = [await count('subject_keys'), await count('personal_fields')];
    const seen: string[] = [];
    const refusal = intake.receive('trondheim', {
      nationalId: fodselsnummerFor('2016-06-01'),
      field: 'child.nationalId',
      fields: { name: 'Brita Berg' },
      beforeStoring: async (id) => {
        seen.push(id.birthDate);
        throw new Error('the waitlist is closed');
      },
    });
    await expect(refusal).rejects.toThrow('the waitlist is closed');
    expect(seen).toEqual(['2016-06-01']);
    expect([await count('subject_keys'), await count('personal_fields')]).toEqual(before);
  });

  it('hands the check the subject of a person already registered, and changes none of their fields when it refuses', async () => {
    const { intake, people } = await moduleWith();
    const nationalId = fodselsnummerFor('2016-07-01');
    const seen: (string | undefined)[] = [];
    const first = await intake.receive('trondheim', {
      nationalId,
      field: 'child.nationalId',
      fields: { name: 'Cecilie Dahl', address: 'Ranheimsvegen 1, 7054 Ranheim' },
      beforeStoring: async ({ subjectId }) => seen.push(subjectId),
    });
    const { rows: before } = await db.pool.query('SELECT * FROM personal_fields ORDER BY field');
    const refusal = intake.receive('trondheim', {
      nationalId,
      field: 'child.nationalId',
      fields: { name: 'Cecilie Dahl', address: 'Somewhere else 2' },
      beforeStoring: async ({ subjectId }) => {
        seen.push(subjectId);
        throw new Error('the child is already on this waitlist');
      },
    });
    await expect(refusal).rejects.toThrow('the child is already on this waitlist');
    expect(seen).toEqual([undefined, first.subjectId]);
    expect((await db.pool.query('SELECT * FROM personal_fields ORDER BY field')).rows).toEqual(before);
    expect(await people.read('trondheim', first.subjectId, ['address'])).toEqual({
      address: 'Ranheimsvegen 1, 7054 Ranheim',
    });
  });

  it('accepts synthetic test numbers only when the validated configuration says so', async () => {
    const synthetic = fodselsnummerFor('2014-03-03', 0, { synthetic: true });
    const { intake: strict } = await moduleWith();
    await expect(strict.receive('trondheim', { nationalId: synthetic, field: 'payerNationalId' })).rejects.toThrow(
      InvalidFodselsnummer,
    );

    const { intake: demo } = await moduleWith({ ACCEPT_SYNTHETIC_NATIONAL_IDS: '1' });
    const received = await demo.receive('trondheim', { nationalId: synthetic, field: 'payerNationalId' });
    expect(received).toMatchObject({ synthetic: true, birthDate: '2014-03-03', isNew: true });
  });

  it('is configured by the validated ACCEPT_SYNTHETIC_NATIONAL_IDS, never by a stray value', () => {
    expect(loadConfig({}).ACCEPT_SYNTHETIC_NATIONAL_IDS).toBe(false);
    expect(loadConfig({ ACCEPT_SYNTHETIC_NATIONAL_IDS: '0' }).ACCEPT_SYNTHETIC_NATIONAL_IDS).toBe(false);
    expect(loadConfig({ ACCEPT_SYNTHETIC_NATIONAL_IDS: '1' }).ACCEPT_SYNTHETIC_NATIONAL_IDS).toBe(true);
    expect(() => loadConfig({ ACCEPT_SYNTHETIC_NATIONAL_IDS: 'yes' })).toThrow(
      new ConfigError(
        'Configuration error: ACCEPT_SYNTHETIC_NATIONAL_IDS must be 1 (accept synthetic test numbers) or 0 (got "yes")',
      ),
    );
  });

  it('registers people arriving in the same turn together: each their own subject and fields, one subject per number', async () => {
    const { intake, people } = await moduleWith();
    const numbers = [0, 1, 2, 3].map((nth) => fodselsnummerFor('2016-11-23', nth));
    // Five arrivals at once, two of them the same child (two guardians applying for one child at the same moment).
    const arriving = [...numbers, numbers[1] ?? ''].map((nationalId, n) =>
      intake.receive('trondheim', { nationalId, field: 'child.nationalId', fields: { name: `Barn ${n}` } }),
    );
    const received = await Promise.all(arriving);
    const subjects = received.map((r) => r.subjectId);
    expect(new Set(subjects).size).toBe(4);
    expect(subjects[4]).toBe(subjects[1]);
    expect(received.filter((r) => r.isNew)).toHaveLength(4);
    for (const [n, nationalId] of numbers.entries()) {
      expect(await people.knownSubject('trondheim', nationalId)).toBe(subjects[n]);
      const name = (await people.read('trondheim', subjects[n] ?? '', ['name', 'nationalId'])).nationalId;
      expect(name).toBe(nationalId);
    }
    // The later arrival of the same number wrote its fields on the one subject: the child has one name on record.
    expect(['Barn 1', 'Barn 4']).toContain((await people.read('trondheim', subjects[1] ?? '', ['name'])).name);
  });
});
