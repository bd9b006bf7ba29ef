import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { compiledFile, createEventStoreTestDatabase, type TestDatabase } from '#libs/testing';

describe('PostgreSQL adapter when the process is killed mid-append', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createEventStoreTestDatabase('es_crash');
  });
  afterAll(async () => db.drop());

  it('leaves each append whole or absent', async () => {
    const child = spawn(
      process.execPath,
      [compiledFile(new URL('./fixtures/append-until-killed.js', import.meta.url))],
      {
        env: { ...process.env, CRASH_DATABASE_URL: db.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await once(child.stdout, 'data');
    await sleep(400 + Math.random() * 400);
    child.kill('SIGKILL');
    await once(child, 'exit');
    await sleep(200); // the server notices the dropped connections and rolls their transactions back

    const { rows } = await db.pool.query<{ stream_name: string; count: string; max: string; revision: string }>(
      `SELECT e.stream_name, count(*) AS count, max(e.stream_revision) AS max, s.revision
         FROM es_events e JOIN es_streams s USING (stream_name) GROUP BY e.stream_name, s.revision`,
    );
    assert.ok(rows.length >= 4, `several appends committed before the kill (${rows.length})`);
    for (const row of rows) {
      assert.equal(Number(row.count), 200, `${row.stream_name} is whole`);
      assert.equal(Number(row.max), 199);
      assert.equal(Number(row.revision), 199);
    }
    const { rows: orphans } = await db.pool.query(
      'SELECT stream_name FROM es_streams WHERE stream_name NOT IN (SELECT stream_name FROM es_events)',
    );
    assert.deepEqual(orphans, [], 'no stream row without its events');
  });
});
