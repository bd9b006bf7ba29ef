import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { createTestDatabase, fodselsnummerFor, type TestDatabase } from '#libs/testing';
import { masterKeyRing } from './master-key.js';
import { PeopleRegister } from './people-register.js';
import { PersonalDataVault } from './personal-data-vault.js';
import { personalDataMigrations } from './subject-keys.migrations.js';

/** Every file under the server's data directory (tables, indexes, WAL, …). */
const filesUnder = async (folder: string): Promise<string[]> => {
  // Another test's database may be dropped while this one looks: a folder gone holds nothing to find.
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(folder, entry.name);
      return entry.isDirectory() ? filesUnder(full) : Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
};

/** The files whose bytes contain `needle`: what someone with a copy of the data directory could read. */
const filesHolding = async (dataDirectory: string, needles: readonly Buffer[]): Promise<string[]> => {
  const found: string[] = [];
  for (const file of await filesUnder(dataDirectory)) {
    // The server may remove a WAL segment between listing and reading it: gone is as good as scrubbed.
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes && needles.some((needle) => bytes.includes(needle))) found.push(path.relative(dataDirectory, file));
  }
  return found;
};

describe('erasure holds on disk', () => {
  let db: TestDatabase;
  let people: PeopleRegister;
  let dataDirectory: string;

  beforeAll(async () => {
    db = await createTestDatabase('erasure_on_disk');
    await migrate(db.pool, personalDataMigrations);
    const keys = masterKeyRing(randomBytes(32));
    people = new PeopleRegister(db.pool, keys, new PersonalDataVault(db.pool, keys));
    const { rows } = await db.pool.query<{ data_directory: string }>('SHOW data_directory');
    dataDirectory = rows[0]?.data_directory ?? '';
    // The test reads the server's files: it needs the server on this machine (the embedded one the tests start).
    await stat(dataDirectory).catch(() => {
      throw new Error(`erasure-on-disk needs the database's files at ${dataDirectory} (the tests' embedded server)`);
    });
  });
  afterAll(async () => db.drop());

  const wrappedKeyOf = async (subjectId: string): Promise<Buffer> => {
    const { rows } = await db.pool.query<{ wrapped_key: Buffer }>(
      'SELECT wrapped_key FROM subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    return rows[0]?.wrapped_key as Buffer;
  };

  /** The files that hold any of the needles, each named by database and relation where PostgreSQL still knows it. */
  const namedFilesHolding = async (needles: readonly Buffer[]): Promise<string[]> => {
    const holding = await filesHolding(dataDirectory, needles);
    return Promise.all(
      holding.map(async (file) => {
        const [, database, node] = /^base\/(\d+)\/(\d+)/.exec(file) ?? [];
        if (!database || !node) return file;
        const { rows } = await db.pool.query<{ datname: string; relation: string | null }>(
          `SELECT d.datname, CASE WHEN d.datname = current_database() THEN pg_filenode_relation(0, $2::oid)::text END
             AS relation FROM pg_database d WHERE d.oid = $1::oid`,
          [database, node],
        );
        return `${file} (${rows[0]?.datname ?? 'dropped database'}: ${rows[0]?.relation ?? 'no relation now'})`;
      }),
    );
  };

  it('leaves no wrapped key and no ciphertext of an erased child in the table files or the WAL', async () => {
    const { subjectId } = await people.subjectFor('trondheim', '01011590123');
    await people.record('trondheim', subjectId, {
      name: 'Sigrid Slettet',
      nationalId: '01011590123',
      address: 'Glemselsvegen 1, 7020 Trondheim',
    });
    const wrappedKey = await wrappedKeyOf(subjectId);
    const ciphertexts = (
      await db.pool.query<{ ciphertext: string }>('SELECT ciphertext FROM personal_fields WHERE subject_id = $1', [
        subjectId,
      ])
    ).rows.map((r) => Buffer.from(r.ciphertext));
    expect(wrappedKey.length).toBeGreaterThanOrEqual(32);
    expect(ciphertexts.length).toBeGreaterThan(0);

    // Before: flushed to disk, the key is in the files (so the search below can find what it looks for).
    await db.pool.query('CHECKPOINT');
    expect(await filesHolding(dataDirectory, [wrappedKey])).not.toEqual([]);

    const erasure = await people.erase('trondheim', subjectId, 'The family asked for erasure');
    expect(erasure.alreadyErased).toBe(false);

    expect(await namedFilesHolding([wrappedKey, ...ciphertexts])).toEqual([]);
  });

  it('waits for a transaction that began before the erasure and could still see the rows, then leaves nothing', async () => {
    const { subjectId } = await people.subjectFor('trondheim', fodselsnummerFor('2016-03-02', 4));
    await people.record('trondheim', subjectId, { name: 'Ola Gammel', address: 'Eldre snapshot 2, 7020 Trondheim' });
    const wrappedKey = await wrappedKeyOf(subjectId);
    // A snapshot taken before the erasure, in a transaction that has not touched these tables (so holds no lock on
    // them): while it lives, the erased rows are still visible to it, and a rewrite would copy them.
    const reader = await db.pool.connect();
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT now()');
      const erasing = people.erase('trondheim', subjectId, 'The family asked for erasure');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await reader.query('COMMIT');
      expect((await erasing).alreadyErased).toBe(false);
    } finally {
      reader.release();
    }
    expect(await namedFilesHolding([wrappedKey])).toEqual([]);
  });
});
