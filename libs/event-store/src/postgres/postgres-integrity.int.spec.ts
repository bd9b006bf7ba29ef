import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createEventStoreTestDatabase, testEvent, type TestDatabase } from '#libs/testing';
import { verifyIntegrity } from './integrity.js';
import { PostgresEventStore } from './postgres-event-store.js';

const event = (n: number, data: object = { n }) => testEvent('audit', 'ThingHappened', data);

/** Changes stored events behind the store's back, as an intruder with database access could. */
const asTamperer = async (db: TestDatabase, change: (client: import('pg').PoolClient) => Promise<void>) => {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
    await change(client);
    await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
};

describe('hash chain over stored events', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createEventStoreTestDatabase('es_integrity');
    store = new PostgresEventStore(db.pool);
    for (let s = 0; s < 3; s++) {
      await store.appendToStream(`audit.test.case-${s}`, [event(0), event(1)], { expectedRevision: 'no_stream' });
      await store.appendToStream(`audit.test.case-${s}`, [event(2, { ciphertext: 'v1.aaa.bbb.ccc' })], {
        expectedRevision: 1,
      });
    }
  });
  afterAll(async () => db.drop());

  it('holds over an untouched store', async () => {
    const report = await verifyIntegrity(db.pool);
    assert.deepEqual(report, { eventsChecked: 9, streamsChecked: 3 });
  });

  it('finds a row changed directly in PostgreSQL, at its position', async () => {
    const [target] = await store.readStream('audit.test.case-1', { fromRevision: 1, maxCount: 1 });
    assert.ok(target);
    await asTamperer(db, async (tamper) => {
      await tamper.query(`UPDATE es_events SET data = '{"n": 99}' WHERE position = $1`, [String(target.position)]);
    });
    {
      const report = await verifyIntegrity(db.pool);
      assert.deepEqual(report.firstBreak, {
        streamName: 'audit.test.case-1',
        streamRevision: 1,
        position: target.position,
        eventId: target.eventId,
        problem: 'content changed',
      });
      assert.equal((await verifyIntegrity(db.pool, { streamName: 'audit.test.case-2' })).firstBreak, undefined);
    }
  });

  it('finds a forged hash too: the next event no longer chains to it', async () => {
    const [target] = await store.readStream('audit.test.case-2', { fromRevision: 0, maxCount: 1 });
    assert.ok(target);
    await asTamperer(db, async (tamper) => {
      await tamper.query(
        `UPDATE es_events SET data = '{"n": 7}',
           hash = es_event_hash(NULL, stream_name, stream_revision, event_id, event_type, schema_version, '{"n": 7}', metadata)
         WHERE position = $1`,
        [String(target.position)],
      );
    });
    const report = await verifyIntegrity(db.pool, { streamName: 'audit.test.case-2' });
    assert.equal(report.firstBreak?.streamRevision, 1);
  });

  it('finds a deleted event', async () => {
    await asTamperer(db, async (tamper) => {
      await tamper.query(`DELETE FROM es_events WHERE stream_name = 'audit.test.case-0' AND stream_revision = 1`);
    });
    const report = await verifyIntegrity(db.pool, { streamName: 'audit.test.case-0' });
    assert.equal(report.firstBreak?.problem, 'event missing before this one');
  });

  it('refuses ordinary updates and deletes of stored events altogether', async () => {
    await assert.rejects(db.pool.query(`UPDATE es_events SET data = '{}'`), /append-only/);
    await assert.rejects(db.pool.query('DELETE FROM es_events'), /append-only/);
  });
});
