import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { rows, type Projection } from '../projection.js';
import { ChangeSet } from './change-set.js';
import { createTablesSql, liveTableSet } from './table-set.js';
import { WrittenKeys } from './written-keys.js';

// Every kind of column a read model declares, written through the change set's array literals and read back.
const projection: Projection = {
  name: 'odd_values',
  version: 1,
  eventTypes: ['Anything'],
  tables: [
    {
      name: 'odd_rows',
      columns: {
        id: 'text',
        label: 'text',
        count: 'integer',
        total: 'bigint',
        share: 'double precision',
        active: 'boolean',
        day: 'date',
        at: 'timestamptz',
        detail: 'jsonb',
      },
      key: ['id'],
    },
  ],
  handle: () => [],
};
const set = liveTableSet(projection);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('change_set');
  await db.pool.query(createTablesSql(set, projection.tables));
});
afterAll(async () => {
  await db.drop();
});

const write = async (changes: ChangeSet) => {
  const client = await db.pool.connect();
  try {
    await changes.write(client, set);
  } finally {
    client.release();
  }
};

const read = async () =>
  (
    await db.pool.query<Record<string, unknown>>(
      `SELECT id, label, count, total::text, share, active, day::text, at, detail FROM ${set.table('odd_rows')} ORDER BY id`,
    )
  ).rows;

// Text PostgreSQL can hold: anything but NUL.
const text = fc.string({ unit: 'binary', maxLength: 40 }).map((value) => value.replaceAll('\u0000', ''));

// Each test twice: rows upserted, and rows a build knows to be new sent with COPY (its own text format and escapes).
const modes = [
  { mode: 'upserted', written: (): WrittenKeys | undefined => undefined },
  { mode: 'new rows sent with COPY', written: (): WrittenKeys | undefined => new WrittenKeys() },
];

describe.each(modes)('ChangeSet writes, $mode', ({ mode, written }) => {
  const copying = mode !== 'upserted';
  it('keeps every value as the handler gave it: quotes, backslashes, braces, commas, "NULL", empty text, JSON', async () => {
    const awkward = [
      '',
      'NULL',
      'null',
      '"',
      '\\',
      '\\"',
      '{a,b}',
      'a, b',
      ' padded ',
      'æøå Sámi ✓',
      "it's",
      '{"x":1}',
      'tab\there',
      'line\nbreak\r\n',
      '\\N',
      '\\.',
      'back\\slash\\t',
    ];
    await db.pool.query(`DELETE FROM ${set.table('odd_rows')}`);
    const changes = new ChangeSet(projection, written());
    awkward.forEach((label, n) =>
      changes.addPrepared(
        changes.prepare(
          'kommune-1',
          rows.upsert(
            'odd_rows',
            { id: `row-${String(n).padStart(2, '0')}` },
            {
              label,
              count: n - 3,
              total: 9_007_199_254_740_993n,
              share: n / 7,
              active: n % 2 === 0,
              day: '2026-02-28',
              at: new Date(Date.UTC(2026, 1, 28, 23, 30)),
              detail: { label, list: [label, null], nested: { quote: '"' } },
            },
          ),
        ),
      ),
    );
    assert.equal(changes.hasNewRows, copying);
    await write(changes);
    const stored = await read();
    assert.equal(stored.length, awkward.length);
    stored.forEach((row, n) => {
      assert.equal(row.label, awkward[n]);
      assert.equal(row.count, n - 3);
      assert.equal(row.total, '9007199254740993');
      assert.equal(row.share, n / 7);
      assert.equal(row.active, n % 2 === 0);
      assert.equal(row.day, '2026-02-28');
      assert.equal((row.at as Date).toISOString(), '2026-02-28T23:30:00.000Z');
      assert.deepEqual(row.detail, { label: awkward[n], list: [awkward[n], null], nested: { quote: '"' } });
    });
  });

  it('stores SQL NULL for null and for a column a row leaves out of its group, never the text "NULL"', async () => {
    await db.pool.query(`DELETE FROM ${set.table('odd_rows')}`);
    const changes = new ChangeSet(projection, written());
    changes.addPrepared(
      changes.prepare('kommune-2', rows.upsert('odd_rows', { id: 'nulls' }, { label: null, detail: null })),
    );
    changes.addPrepared(changes.prepare('kommune-2', rows.increment('odd_rows', { id: 'counted' }, { total: 2 })));
    await write(changes);
    const { rows: stored } = await db.pool.query(
      `SELECT id, label IS NULL AS no_label, detail IS NULL AS no_detail, count IS NULL AS no_count, total::text
         FROM ${set.table('odd_rows')} ORDER BY id`,
    );
    assert.deepEqual(stored, [
      { id: 'counted', no_label: true, no_detail: true, no_count: true, total: '2' },
      { id: 'nulls', no_label: true, no_detail: true, no_count: true, total: null },
    ]);
  });

  it('round-trips any text and any JSON string through one statement per group', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(text, { minLength: 1, maxLength: 12 }), async (labels) => {
        await db.pool.query(`DELETE FROM ${set.table('odd_rows')}`);
        const changes = new ChangeSet(projection, written());
        labels.forEach((label, n) =>
          changes.addPrepared(
            changes.prepare(
              'kommune-3',
              rows.upsert('odd_rows', { id: `p${String(n).padStart(2, '0')}` }, { label, detail: { label } }),
            ),
          ),
        );
        await write(changes);
        const stored = await read();
        assert.deepEqual(
          stored.map((row) => [row.label, row.detail]),
          labels.map((label) => [label, { label }]),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('merges a batch per row into what its changes, written one at a time, would have left', async () => {
    const key = fc.constantFrom('k0', 'k1', 'k2');
    const values = fc.record(
      { label: fc.option(fc.constantFrom('a', 'b'), { nil: null }), count: fc.integer({ min: -3, max: 3 }) },
      { requiredKeys: [] },
    );
    const increments = fc.record({ total: fc.integer({ min: -3, max: 3 }) }, { requiredKeys: [] });
    const change = fc.oneof(
      fc.tuple(key, values, increments).map(([id, set, add]) => rows.upsert('odd_rows', { id }, set, add)),
      fc.tuple(key, values, increments).map(([id, set, add]) => rows.update('odd_rows', { id }, set, add)),
      fc
        .tuple(key, fc.record({ count: fc.integer({ min: -3, max: 3 }) }))
        .map(([id, add]) => rows.update('odd_rows', { id }, {}, add)),
      key.map((id) => rows.delete('odd_rows', { id })),
    );
    const tenant = 'kommune-5';
    const rowsOf = async () =>
      (
        await db.pool.query(
          `SELECT id, label, count, total::text FROM ${set.table('odd_rows')} WHERE tenant = $1 ORDER BY id`,
          [tenant],
        )
      ).rows;
    // The rows there before the batch, written by the same build (so the filter of written keys, if any, knows them).
    const startFrom = async (present: readonly string[], keys?: WrittenKeys) => {
      await db.pool.query(`DELETE FROM ${set.table('odd_rows')} WHERE tenant = $1`, [tenant]);
      const seed = new ChangeSet(projection, keys);
      for (const id of present) seed.addPrepared(seed.prepare(tenant, rows.upsert('odd_rows', { id }, { count: 1 })));
      await write(seed);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(['k0', 'k1', 'k2']),
        fc.array(change, { maxLength: 8 }),
        async (present, changes) => {
          await startFrom(present);
          for (const one of changes) {
            const alone = new ChangeSet(projection);
            alone.addPrepared(alone.prepare(tenant, one));
            await write(alone);
          }
          const oneAtATime = await rowsOf();
          const keys = written();
          await startFrom(present, keys);
          const batch = new ChangeSet(projection, keys);
          for (const one of changes) batch.addPrepared(batch.prepare(tenant, one));
          await write(batch);
          assert.deepEqual(await rowsOf(), oneAtATime);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('writes an update followed by an upsert of every column it touched as the upsert alone, in one round', () => {
    const changes = new ChangeSet(projection, written());
    changes.addPrepared(changes.prepare('kommune-6', rows.update('odd_rows', { id: 'moved' }, { active: false })));
    changes.addPrepared(
      changes.prepare('kommune-6', rows.upsert('odd_rows', { id: 'moved' }, { label: 'x', active: true })),
    );
    assert.equal(changes.oneRound, true);
    changes.addPrepared(changes.prepare('kommune-6', rows.update('odd_rows', { id: 'kept' }, { count: 2 })));
    changes.addPrepared(changes.prepare('kommune-6', rows.upsert('odd_rows', { id: 'kept' }, { label: 'y' })));
    assert.equal(changes.oneRound, false);
  });

  it('refuses an object for a column that is not JSON, as a fault of the event that asks for it', () => {
    const changes = new ChangeSet(projection, written());
    const object = rows.upsert('odd_rows', { id: 'object' }, { label: { not: 'text' } as never });
    assert.throws(() => changes.prepare('kommune-4', object), /takes no objects/);
    const day = rows.upsert('odd_rows', { id: 'day' }, { at: new Date(0), detail: { any: ['json'] } });
    changes.addPrepared(changes.prepare('kommune-4', day));
    assert.equal(changes.size, 1);
  });
});

describe('ChangeSet of a build that knows the keys it has written', () => {
  it('inserts only rows it has not written, and a key taken for new that is there fails as a unique violation', async () => {
    await db.pool.query(`DELETE FROM ${set.table('odd_rows')}`);
    const keys = new WrittenKeys();
    const first = new ChangeSet(projection, keys);
    first.addPrepared(first.prepare('kommune-7', rows.upsert('odd_rows', { id: 'a' }, { count: 1 })));
    assert.equal(first.hasNewRows, true);
    await write(first);
    const again = new ChangeSet(projection, keys);
    again.addPrepared(again.prepare('kommune-7', rows.upsert('odd_rows', { id: 'a' }, { count: 2 })));
    assert.equal(again.hasNewRows, false, 'a key the build wrote is upserted');
    await write(again);
    // The same row again, from a build that did not write it: the guard a wrong "new" meets (batch.ts then upserts).
    const stranger = new ChangeSet(projection, new WrittenKeys());
    stranger.addPrepared(stranger.prepare('kommune-7', rows.upsert('odd_rows', { id: 'a' }, { count: 3 })));
    await assert.rejects(write(stranger), { code: '23505' });
    const { rows: stored } = await db.pool.query(`SELECT count FROM ${set.table('odd_rows')}`);
    assert.deepEqual(stored, [{ count: 2 }]);
  });

  it('writes a new row asked for as a statement (not sent with COPY) as the upsert it stands for', async () => {
    await db.pool.query(`DELETE FROM ${set.table('odd_rows')}`);
    const changes = new ChangeSet(projection, new WrittenKeys());
    changes.addPrepared(changes.prepare('kommune-8', rows.upsert('odd_rows', { id: 'b' }, { count: 1 })));
    assert.equal(changes.hasNewRows, true);
    await db.pool.query(`INSERT INTO ${set.table('odd_rows')} (tenant, id, count) VALUES ('kommune-8', 'b', 0)`);
    for (const statement of changes.statements(set, 0)) await db.pool.query(statement.sql(), statement.params);
    const { rows: stored } = await db.pool.query(`SELECT count FROM ${set.table('odd_rows')}`);
    assert.deepEqual(stored, [{ count: 1 }]);
  });
});
