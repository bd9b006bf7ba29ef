import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import {
  createEventStoreTestDatabase,
  createTestDatabase,
  testEvent,
  testMetadata,
  type TestDatabase,
} from '#libs/testing';
import { waitFor } from '../contract/event-store.contract.js';
import type { RecordedEvent } from '../envelope.js';
import { StoreNotSettledError } from '../errors.js';
import { PostgresEventStore } from './postgres-event-store.js';

const tenant = 'ordering';
const metadata = testMetadata(tenant);

describe('PostgreSQL $all order under interleaved transactions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createEventStoreTestDatabase('es_ordering');
  });
  afterAll(async () => db.drop());

  it('delivers every event exactly once in global order, although transactions commit out of position order', async () => {
    const store = new PostgresEventStore(db.pool);
    const seen: RecordedEvent[] = [];
    const errors: string[] = [];
    const subscription = store.subscribeToAll({
      onEvent: async (e) => void seen.push(e),
      onError: (error) => void errors.push(String(error)),
    });

    const rounds = 15;
    const appendersPerRound = 5;
    let outOfOrderCommits = 0;
    const written: string[] = [];
    for (let round = 0; round < rounds; round++) {
      // Open the transactions and append in order, so positions rise with the appender's index...
      const clients = await Promise.all(Array.from({ length: appendersPerRound }, () => db.pool.connect()));
      const positions: bigint[] = [];
      for (const [index, client] of clients.entries()) {
        await client.query('BEGIN');
        const ids = [randomUUID(), randomUUID()];
        const { rows } = await client.query<{ last_position: string }>(
          'SELECT last_position FROM es_append($1, -2, $2, $3, $4, $5, $6)',
          [
            `${tenant}.test.stream-${round}-${index}`,
            ids,
            ['ThingHappened', 'ThingHappened'],
            [1, 1],
            ids.map((id) => JSON.stringify({ id })),
            ids.map(() => JSON.stringify(metadata)),
          ],
        );
        positions.push(BigInt(rows[0]?.last_position ?? '0'));
        written.push(...ids);
      }
      // ...then commit them in a shuffled order with pauses, while the subscriber is reading live.
      const order = round === 0 ? [4, 3, 2, 1, 0] : shuffle([0, 1, 2, 3, 4]);
      let highestCommitted = -1n;
      for (const index of order) {
        const client = clients[index];
        const position = positions[index];
        assert.ok(client && position !== undefined);
        await sleep(Math.random() * 15);
        await client.query('COMMIT');
        client.release();
        if (position < highestCommitted) outOfOrderCommits += 1;
        if (position > highestCommitted) highestCommitted = position;
      }
    }
    await waitFor(() => seen.length >= written.length, 60_000).catch(async (error: Error) => {
      // Tell a stalled reader (an open transaction holds the horizon) from a skipped event (a bug).
      const missing = written.filter((id) => !seen.some((e) => (e.data as { id: string }).id === id));
      const { rows } = await db.pool.query(
        'SELECT es_safe_horizon()::text AS horizon, max(position)::text AS head FROM es_events',
      );
      const state = { at: String(subscription.position), lastSeen: String(seen.at(-1)?.position), errors };
      throw new Error(
        `${error.message}: ${missing.length} of ${written.length} not delivered; ${JSON.stringify({ ...rows[0], ...state })}`,
      );
    });
    await sleep(300);
    await subscription.stop();

    assert.ok(outOfOrderCommits > 0, 'the test must actually commit transactions out of position order');
    const seenIds = seen.map((e) => (e.data as { id: string }).id);
    assert.equal(seenIds.length, written.length, 'no event delivered twice');
    assert.deepEqual(new Set(seenIds), new Set(written), 'no event skipped');
    for (let i = 1; i < seen.length; i++) {
      assert.ok((seen[i]?.position ?? 0n) > (seen[i - 1]?.position ?? 0n), 'positions strictly increase');
    }
    const page = await store.readAll({ maxCount: 10_000 });
    assert.deepEqual(
      seen.map((e) => e.eventId),
      page.events.map((e) => e.eventId),
      'the subscriber saw the same order as a later read of $all',
    );
  });

  it('never lets a live reader pass a position that a still-open transaction holds', async () => {
    const store = new PostgresEventStore(db.pool);
    const slow = await db.pool.connect();
    await slow.query('BEGIN');
    const ids = [randomUUID()];
    const args = (stream: string, id: string) => [
      stream,
      [id],
      ['ThingHappened'],
      [1],
      [JSON.stringify({ id })],
      [JSON.stringify(metadata)],
    ];
    await slow.query('SELECT es_append($1, -2, $2, $3, $4, $5, $6)', args(`${tenant}.test.slow-1`, ids[0] ?? ''));
    const fast = await store.appendToStream(`${tenant}.test.fast-1`, [testEvent(tenant, 'ThingHappened', {})], {
      expectedRevision: 'any',
    });
    const head = await store.headPosition();
    assert.ok(head === undefined || head < fast.position, 'the committed later event waits behind the open one');
    await slow.query('COMMIT');
    slow.release();
    assert.equal(await store.headPosition(), fast.position);
  });

  it('waits, to settle, for a writing transaction of its own database that began before the call', async () => {
    const store = new PostgresEventStore(db.pool);
    const slow = await db.pool.connect();
    await slow.query('BEGIN');
    await slow.query('SELECT pg_current_xact_id()');
    const fast = await store.appendToStream(`${tenant}.test.fast-2`, [testEvent(tenant, 'ThingHappened', {})], {
      expectedRevision: 'any',
    });
    await assert.rejects(store.awaitSettled({ timeoutMs: 100 }), StoreNotSettledError, 'a short wait gives up, typed');
    let settled = false;
    const settling = store.awaitSettled().then(() => (settled = true));
    await sleep(300);
    assert.equal(settled, false, 'still waiting while the older transaction is open');
    await slow.query('COMMIT');
    slow.release();
    await settling;
    assert.equal(await store.headPosition(), fast.position);
  });

  it('is not held back by a writing transaction in another database of the same server', async () => {
    const store = new PostgresEventStore(db.pool);
    const elsewhere = await createTestDatabase('es_elsewhere');
    const other = await elsewhere.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const fast = await store.appendToStream(`${tenant}.test.fast-3`, [testEvent(tenant, 'ThingHappened', {})], {
        expectedRevision: 'any',
      });
      await store.awaitSettled({ timeoutMs: 5_000 });
      assert.equal(await store.headPosition(), fast.position);
      await other.query('COMMIT');
    } finally {
      other.release();
      await elsewhere.drop();
    }
  });

  it('knows whether its role can see other databases’ sessions (without that, they hold readers back)', async () => {
    assert.equal(await new PostgresEventStore(db.pool).seesOtherSessions(), true, 'the tests run as a superuser');
    const role = `no_stats_${randomUUID().slice(0, 8)}`;
    await db.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD 'x'`);
    const url = new URL(db.url);
    [url.username, url.password] = [role, 'x'];
    const restricted = new pg.Pool({ connectionString: url.toString(), max: 1 });
    try {
      assert.equal(await new PostgresEventStore(restricted).seesOtherSessions(), false);
    } finally {
      await restricted.end();
      await db.pool.query(`DROP ROLE ${role}`);
    }
  });
});

const shuffle = <T>(items: T[]): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};
