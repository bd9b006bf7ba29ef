import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore } from '#libs/event-store';
import { loadCheckpoint, ProjectionRunner, projectionsMigrations } from '#libs/projections';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { EventHistory } from './event-history.js';
import { auditMentionsProjection, uuidsIn } from './mentions.projection.js';

const tenant = 'trondheim';
const event = (data: Record<string, unknown>) => testEvent(tenant, 'ThingHappened', data);

describe('uuidsIn', () => {
  it('finds every uuid at any depth, once, lower-cased, and nothing else', () => {
    const a = randomUUID();
    const b = randomUUID().toUpperCase();
    const found = uuidsIn({ a, nested: { list: [b, a, 'Piano', 7, null] }, schoolId: 'school-17' });
    assert.deepEqual([...found].sort(), [a, b.toLowerCase()].sort());
  });
});

describe('history through the audit_mentions index', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const child = randomUUID();
  const positions: bigint[] = [];
  const append = async (data: Record<string, unknown>) => {
    const result = await store.appendToStream(`${tenant}.test.case-${randomUUID()}`, [event(data)], {
      expectedRevision: 'no_stream',
    });
    positions.push(result.position);
    return result.position;
  };

  beforeAll(async () => {
    db = await createTestDatabase('audit_mentions');
    await migrate(db.pool, [...eventStoreMigrations, ...projectionsMigrations]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => db.drop());

  it('searches the whole store while the index has not been built', async () => {
    await append({ childId: child });
    await append({ other: randomUUID(), schoolId: 'school-17' });
    const found = await new EventHistory(db.pool).of(tenant, child);
    assert.deepEqual(
      found.entries.map((e) => BigInt(e.position)),
      [positions[0]],
    );
  });

  it('answers from the index up to its checkpoint and from the store above it', async () => {
    await append({ places: [{ studentId: child }] });
    const runner = new ProjectionRunner(db.pool, store, [auditMentionsProjection], { batchSize: 2, idleMs: 10 });
    await runner.start();
    const last = positions.at(-1) ?? 0n;
    await eventually(async () => BigInt((await loadCheckpoint(db.pool, 'audit_mentions@v1'))?.position ?? 0) >= last);
    await runner.stop();
    const { rows } = await db.pool.query<{ position: string }>(
      'SELECT position::text FROM audit_mentions WHERE id = $1 ORDER BY audit_mentions.position',
      [child],
    );
    assert.deepEqual(
      rows.map((r) => BigInt(r.position)),
      [positions[0], positions[2]],
    );

    const tail = await append({ childId: child, note: 'recorded after the index stopped' });
    const history = new EventHistory(db.pool);
    assert.deepEqual(
      (await history.of(tenant, child)).entries.map((e) => BigInt(e.position)),
      [positions[0], positions[2], tail],
    );

    // Below its checkpoint the index is what answers: a row taken out of it takes the event out of the history.
    await db.pool.query('DELETE FROM audit_mentions__v1 WHERE id = $1 AND position = $2', [
      child,
      String(positions[0]),
    ]);
    assert.deepEqual(
      (await history.of(tenant, child)).entries.map((e) => BigInt(e.position)),
      [positions[2], tail],
    );
  });

  it('searches the whole store for an id that is not a uuid (never indexed)', async () => {
    const found = await new EventHistory(db.pool).of(tenant, 'school-17');
    assert.deepEqual(
      found.entries.map((e) => BigInt(e.position)),
      [positions[1]],
    );
  });
});
