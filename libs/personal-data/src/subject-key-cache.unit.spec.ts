import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { SubjectKeyCache } from './subject-key-cache.js';

const key = (byte: number) => Buffer.alloc(32, byte);

describe('subject key cache', () => {
  it('evicts the least recently used key beyond its capacity and zeroes it', () => {
    const cache = new SubjectKeyCache({ capacity: 2, ttlMs: 1000, now: () => 0 });
    const second = key(2);
    cache.set('a', key(1));
    cache.set('b', second);
    cache.get('a'); // a is now more recent than b
    cache.set('c', key(3));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.deepEqual(second, Buffer.alloc(32, 0));
    assert.deepEqual(cache.get('a'), key(1));
    assert.deepEqual(cache.get('c'), key(3));
  });

  it('forgets a key after its time', () => {
    let now = 0;
    const cache = new SubjectKeyCache({ capacity: 2, ttlMs: 1000, now: () => now });
    const kept = key(7);
    cache.set('a', kept);
    now = 999;
    assert.ok(cache.get('a'));
    now = 1000;
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(kept, Buffer.alloc(32, 0));
  });

  it('zeroes a forgotten key', () => {
    const cache = new SubjectKeyCache({ capacity: 2, ttlMs: 1000 });
    const forgotten = key(9);
    cache.set('a', forgotten);
    cache.forget('a');
    assert.equal(cache.get('a'), undefined);
    assert.deepEqual(forgotten, Buffer.alloc(32, 0));
  });
});
