import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  backupDataDirectory,
  createPool,
  migrate,
  restoreDataDirectory,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type Pool,
} from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, verifyIntegrity } from '#libs/event-store';
import { freePort, testEvent } from '#libs/testing';

/** A server of its own, as `npm start` runs one: backed up while it takes writes, restored beside it, verified. */
describe('backup and restore of the embedded database', () => {
  let parent: string;
  const servers: EmbeddedDatabase[] = [];
  const pools: Pool[] = [];

  const server = async (folder: string) => {
    const database = await startEmbeddedPostgres({ dataDir: path.join(parent, folder), port: await freePort() });
    servers.push(database);
    const pool = createPool(database.url, { max: 4 });
    pools.push(pool);
    return pool;
  };
  const append = async (store: PostgresEventStore, from: number, count: number) => {
    for (let n = from; n < from + count; n++) {
      await store.appendToStream(
        `trondheim.enrolment.offering-backup-${n % 7}`,
        [testEvent('trondheim', 'Noted', { n })],
        {
          expectedRevision: 'any',
        },
      );
    }
  };

  beforeAll(async () => {
    // Traversable: as root the server runs as the postgres user.
    parent = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-backup-'));
    await chmod(parent, 0o755);
  });
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    for (const database of servers) await database.stop();
    await rm(parent, { recursive: true, force: true });
  });

  it('restores exactly what was stored when the backup ended, with every hash chain intact', async () => {
    const live = await server('live');
    await migrate(live, eventStoreMigrations);
    const store = new PostgresEventStore(live);
    await append(store, 0, 60);

    // Writes go on while the backup copies: it is consistent as of its end, and recovers to it.
    const [manifest] = await Promise.all([
      backupDataDirectory(live, path.join(parent, 'backup')),
      append(store, 60, 20),
    ]);
    await append(store, 80, 10); // after the backup: not in it
    expect(manifest.events.count).toBeGreaterThanOrEqual(60);

    await restoreDataDirectory(path.join(parent, 'backup'), path.join(parent, 'restored'));
    const restored = await server('restored');
    const { rows } = await restored.query<{ count: string; last: string }>(
      'SELECT count(*)::text AS count, max(position)::text AS last FROM es_events',
    );
    expect(Number(rows[0]?.count)).toBeGreaterThanOrEqual(manifest.events.count);
    expect(Number(rows[0]?.count)).toBeLessThan(90);
    const report = await verifyIntegrity(restored);
    expect(report.firstBreak).toBeUndefined();
    expect(report.eventsChecked).toBe(Number(rows[0]?.count));
    // Replayed: every stream reads back in order, and the restored store takes new writes.
    const again = new PostgresEventStore(restored);
    const events = (await again.readStream('trondheim.enrolment.offering-backup-0')).map((e) => e.streamRevision);
    expect(events).toEqual([...events].sort((a, b) => Number(a) - Number(b)));
    await append(again, 1000, 3);
    console.log(
      `backup: ${manifest.events.count} events at its end (${manifest.startLsn}..${manifest.stopLsn}, PostgreSQL ` +
        `${manifest.serverVersion}); restored ${rows[0]?.count} events, every chain intact`,
    );
  });

  it('never overwrites a data directory that exists', async () => {
    await expect(restoreDataDirectory(path.join(parent, 'backup'), path.join(parent, 'restored'))).rejects.toThrow(
      /exists/,
    );
  });
});
