import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { countingPool, createEventStoreTestDatabase, testEvent, type TestDatabase } from '#libs/testing';
import type { ReadAllOptions, ReadAllPage } from '../event-store.js';
import { PostgresEventStore } from './postgres-event-store.js';

const TENANTS = ['oslo', 'bergen', 'tromso', 'alta'];
const TYPES = ['LessonGiven', 'PlaceOffered', 'FeeWaived'];

/** What a test compares of a page: the events by id and position, where the next page starts, whether at the end. */
const shown = (page: ReadAllPage) => ({
  events: page.events.map((e) => `${e.position}:${e.eventId}:${e.type}`),
  lastPosition: page.lastPosition,
  isEnd: page.isEnd,
});

type Shown = ReturnType<typeof shown>;

/**
 * A page at the end without where it ends: the horizon is the cluster's, and other databases' transactions (tests
 * running beside this one) move it on between two reads.
 */
const atEnd = (page: Shown | undefined) => ({ events: page?.events, isEnd: page?.isEnd });

describe('$all reads asked in the same turn (ADR 0027)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let positions: bigint[];

  beforeAll(async () => {
    db = await createEventStoreTestDatabase('es_all_reads');
    store = new PostgresEventStore(db.pool);
    // 60 events over 4 tenants, 3 types and 12 streams, one append each so positions spread over transactions.
    for (let i = 0; i < 60; i++) {
      const tenant = TENANTS[i % TENANTS.length] ?? 'oslo';
      await store.appendToStream(
        `${tenant}.test.s-${i % 12}`,
        [testEvent(tenant, TYPES[i % 3] ?? 'LessonGiven', { i })],
        {
          expectedRevision: 'any',
        },
      );
    }
    await store.awaitSettled();
    positions = (await store.readAll({ maxCount: 1000 })).events.map((e) => e.position);
    assert.equal(positions.length, 60);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const read: fc.Arbitrary<ReadAllOptions> = fc.record(
    {
      fromPosition: fc.option(
        fc.nat({ max: 61 }).map((n) => (n === 0 ? 0n : (positions[n - 1] ?? 0n))),
        { nil: undefined },
      ),
      maxCount: fc.option(fc.integer({ min: 1, max: 70 }), { nil: undefined }),
      filter: fc.option(
        fc.record(
          {
            eventTypes: fc.subarray(TYPES),
            streamPrefixes: fc.subarray([...TENANTS.map((t) => `${t}.`), 'oslo.test.s-4', 'bergen.test.s-1']),
            tenantShard: fc
              .integer({ min: 1, max: 3 })
              .chain((count) => fc.record({ count: fc.constant(count), index: fc.nat({ max: count - 1 }) })),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    },
    { requiredKeys: [] },
  );

  it('answers each read with a page of its own: the same events up to where it ends, the same page at the end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(read, { minLength: 2, maxLength: 6 }), async (reads) => {
        const alone: Shown[] = [];
        for (const options of reads) alone.push(shown(await store.readAll(options)));
        const everything: Shown[] = [];
        for (const { fromPosition, filter } of reads)
          everything.push(shown(await store.readAll({ fromPosition, filter, maxCount: 1000 })));
        // Asked in one turn: the store answers them from one statement (or more, for a read the page did not reach).
        const together = (await Promise.all(reads.map((options) => store.readAll(options)))).map(shown);
        together.forEach((page, index) => {
          const { fromPosition = 0n, maxCount = 1000 } = reads[index] ?? {};
          // A page may end earlier than alone (where another read's full page ended), never deliver differently:
          // what it delivers is exactly what the read finds up to where it ends, and it moves on.
          const upTo = page.lastPosition ?? fromPosition;
          const found = everything[index]?.events.filter((e) => BigInt(e.split(':')[0] ?? '0') <= upTo);
          assert.deepEqual(page.events, found);
          assert.ok(page.events.length <= maxCount);
          assert.ok(page.isEnd || upTo > fromPosition, 'a page short of the end moves on');
          if (page.isEnd) assert.deepEqual(atEnd(page), atEnd(alone[index]));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same pages as alone when every read reaches the end', async () => {
    const reads = [
      { fromPosition: positions[20], filter: { eventTypes: ['LessonGiven', 'FeeWaived'] } },
      { fromPosition: positions[30], filter: { streamPrefixes: ['oslo.', 'alta.'] } },
      { fromPosition: positions[10], filter: { tenantShard: { count: 3, index: 2 } } },
      { fromPosition: positions[59] },
      {},
    ];
    const alone: Shown[] = [];
    for (const options of reads) alone.push(shown(await store.readAll(options)));
    const together = (await Promise.all(reads.map((options) => store.readAll(options)))).map(shown);
    assert.deepEqual(together.map(atEnd), alone.map(atEnd));
  });

  it('reads once for reads asked together, and on its own for one the shared page does not reach', async () => {
    const sent: string[] = [];
    const reads = () => sent.filter((statement) => statement.includes('es_safe_horizon'));
    const counted = new PostgresEventStore(countingPool(db.pool, sent));
    try {
      const woken = [
        { fromPosition: positions[50], filter: { eventTypes: ['LessonGiven'] } },
        { fromPosition: positions[55], filter: { streamPrefixes: ['oslo.'] } },
        { fromPosition: positions[52], filter: { tenantShard: { count: 2, index: 1 } } },
      ];
      const pages = await Promise.all(woken.map((options) => counted.readAll(options)));
      assert.equal(reads().length, 1);
      assert.ok(pages.every((page) => page.isEnd));
      sent.length = 0;
      // The first read's page is full at its 5th event; the second starts after it, so it is read on its own.
      await Promise.all([
        counted.readAll({ fromPosition: positions[0], maxCount: 5 }),
        counted.readAll({ fromPosition: positions[40], maxCount: 5 }),
      ]);
      assert.equal(reads().length, 2);
    } finally {
      await counted.close();
    }
  });
});
