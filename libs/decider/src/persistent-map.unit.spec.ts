import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { PersistentMap } from './persistent-map.js';

type Step =
  | { readonly op: 'set'; readonly key: string; readonly value: number }
  | { readonly op: 'delete'; readonly key: string };

// Few keys, so that sets of a key already there and deletes of one that is there happen often.
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), value: fc.integer() }),
  fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'z') }),
);

const seen = (map: ReadonlyMap<string, number>) => {
  const viaForEach: [string, number][] = [];
  map.forEach((value, key) => viaForEach.push([key, value]));
  return {
    entries: [...map],
    keys: [...map.keys()],
    values: [...map.values()],
    viaForEach,
    size: map.size,
  };
};

describe('a persistent map', () => {
  it('shows what a Map shows after any sequence of sets and deletes, in the same order', () =>
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const model = new Map<string, number>();
        let map = PersistentMap.of<string, number>();
        for (const s of steps) {
          if (s.op === 'set') {
            model.set(s.key, s.value);
            map = map.set(s.key, s.value);
          } else {
            model.delete(s.key);
            map = map.delete(s.key);
          }
          assert.deepEqual(seen(map), seen(model));
          for (const key of ['a', 'b', 'c', 'd', 'e', 'z']) {
            assert.equal(map.has(key), model.has(key));
            assert.equal(map.get(key), model.get(key));
          }
        }
      }),
    ));

  it('leaves the map it was made from as it was', () =>
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), step, (steps, last) => {
        const before = steps.reduce(
          (map, s) => (s.op === 'set' ? map.set(s.key, s.value) : map.delete(s.key)),
          PersistentMap.of<string, number>(),
        );
        const shown = seen(before);
        if (last.op === 'set') before.set(last.key, last.value);
        else before.delete(last.key);
        assert.deepEqual(seen(before), shown);
      }),
    ));

  it('goes on through forEach when a callback returns false, as a Map does', () => {
    const visited: string[] = [];
    PersistentMap.of([
      ['a', 1],
      ['b', 2],
    ]).forEach((_, key) => {
      visited.push(key);
      return false;
    });
    assert.deepEqual(visited, ['a', 'b']);
  });

  it('is itself after deleting a key it does not have', () => {
    const map = PersistentMap.of([['a', 1]]);
    assert.equal(map.delete('z'), map);
  });
});
