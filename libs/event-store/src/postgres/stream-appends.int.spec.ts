import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { countingPool, createEventStoreTestDatabase, testEvent, type TestDatabase } from '#libs/testing';
import { WrongExpectedRevisionError } from '../errors.js';
import { verifyIntegrity } from './integrity.js';
import { PostgresEventStore } from './postgres-event-store.js';

const tenant = 'batch';

describe('appends to several streams in the same turn (ADR 0027)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createEventStoreTestDatabase('es_stream_appends');
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('stores them in one statement, each stream chained and numbered as if appended alone', async () => {
    const seen: string[] = [];
    const counted = new PostgresEventStore(countingPool(db.pool, seen));
    try {
      const streams = Array.from({ length: 6 }, (_, i) => `${tenant}.test.one-turn-${i}`);
      const results = await Promise.all(
        streams.map((stream, i) =>
          counted.appendToStream(
            stream,
            Array.from({ length: 1 + (i % 3) }, (_, k) => testEvent(tenant, 'LessonGiven', { i, k })),
            { expectedRevision: 'no_stream' },
          ),
        ),
      );
      assert.deepEqual(
        seen.filter((statement) => statement.startsWith('es_append')),
        ['es_append_batch'],
      );
      assert.deepEqual(
        results.map((r) => r.nextExpectedRevision),
        streams.map((_, i) => i % 3),
      );
      const stored = await Promise.all(streams.map((stream) => store.readStream(stream)));
      stored.forEach((events, i) => {
        assert.deepEqual(
          events.map((e) => [e.streamRevision, (e.data as { k: number }).k]),
          events.map((_, k) => [k, k]),
        );
        assert.equal(events[events.length - 1]?.position, results[i]?.position);
      });
      // One transaction: every position distinct, each stream's in its revision order.
      const positions = stored.flat().map((e) => e.position);
      assert.equal(new Set(positions).size, positions.length);
      assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined);
    } finally {
      await counted.close();
    }
  });

  it('refuses only the append whose revision moved, and recognises a repeated one, storing the others', async () => {
    const base = `${tenant}.test.mixed`;
    await store.appendToStream(`${base}-moved`, [testEvent(tenant, 'LessonGiven', {})], {
      expectedRevision: 'no_stream',
    });
    const repeated = [testEvent(tenant, 'LessonGiven', { again: true })];
    const first = await store.appendToStream(`${base}-repeated`, repeated, { expectedRevision: 'no_stream' });
    const [fresh, moved, again, other] = await Promise.allSettled([
      store.appendToStream(`${base}-fresh`, [testEvent(tenant, 'LessonGiven', {})], { expectedRevision: 'no_stream' }),
      store.appendToStream(`${base}-moved`, [testEvent(tenant, 'LessonGiven', {})], { expectedRevision: 'no_stream' }),
      store.appendToStream(`${base}-repeated`, repeated, { expectedRevision: 'no_stream' }),
      store.appendToStream(`${base}-moved`, [testEvent(tenant, 'LessonGiven', {})], { expectedRevision: 0 }),
    ]);
    assert.equal(fresh.status, 'fulfilled');
    assert.equal(moved.status, 'rejected');
    assert.ok(moved.status === 'rejected' && moved.reason instanceof WrongExpectedRevisionError);
    assert.deepEqual(again.status === 'fulfilled' && again.value, { ...first, duplicate: true });
    assert.equal(other.status === 'fulfilled' && other.value.nextExpectedRevision, 1);
    assert.equal((await store.readStream(`${base}-repeated`)).length, 1);
    assert.equal((await store.readStream(`${base}-moved`)).length, 2);
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined);
  });

  let runs = 0;
  it('never loses or doubles an event when many appends to few streams race in the same turns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ stream: fc.nat({ max: 3 }), events: fc.integer({ min: 1, max: 3 }) }), {
          minLength: 2,
          maxLength: 12,
        }),
        async (appends) => {
          const run = (runs += 1);
          const name = (n: number) => `${tenant}.test.race-${run}-${n}`;
          const outcomes = await Promise.allSettled(
            appends.map(({ stream, events }) =>
              store.appendToStream(
                name(stream),
                Array.from({ length: events }, () => testEvent(tenant, 'LessonGiven', {})),
                { expectedRevision: 'any' },
              ),
            ),
          );
          assert.ok(outcomes.every((o) => o.status === 'fulfilled'));
          for (let n = 0; n < 4; n++) {
            const expected = appends.filter((a) => a.stream === n).reduce((sum, a) => sum + a.events, 0);
            const stored = await store.readStream(name(n));
            assert.equal(stored.length, expected);
            assert.deepEqual(
              stored.map((e) => e.streamRevision),
              stored.map((_, i) => i),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined);
  });
});
