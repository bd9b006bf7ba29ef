import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { WrittenKeys } from './written-keys.js';

describe('WrittenKeys', () => {
  it('never calls a key it was given new, in any table', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'stat_places'), fc.string())), (keys) => {
        const written = new WrittenKeys();
        const firsts = new Set<string>();
        for (const [table, id] of keys) {
          const seen = written.writes(table, id);
          // The first time a key is written it may be taken for seen (a false positive), never the other way round.
          if (firsts.has(`${table} ${id}`)) assert.equal(seen, true, `${table} ${id}`);
          firsts.add(`${table} ${id}`);
        }
        for (const [table, id] of keys) assert.equal(written.writes(table, id), true, `${table} ${id}`);
      }),
    );
  });

  it('calls keys it was not given new, but for a few in 10,000 at a million keys', () => {
    const written = new WrittenKeys();
    for (let n = 0; n < 1_000_000; n++) written.writes('stat_places', `["place-${n}","kommune${n % 8}"]`);
    let taken = 0;
    for (let n = 0; n < 100_000; n++) if (written.writes('stat_places', `["place-x${n}","kommune1"]`)) taken++;
    // The same ids in another table are other keys.
    for (let n = 0; n < 100_000; n++) if (written.writes('stat_offerings', `["place-${n}","kommune${n % 8}"]`)) taken++;
    assert.ok(taken < 100, `${taken} of 200,000 new keys taken for written`);
  });

  it('takes every key for written once distrusted', () => {
    const written = new WrittenKeys();
    assert.equal(written.writes('t', 'k'), false);
    assert.equal(written.writes('t', 'k'), true);
    written.distrust();
    assert.equal(written.trusted, false);
    assert.equal(written.writes('t', 'other'), true);
  });
});
