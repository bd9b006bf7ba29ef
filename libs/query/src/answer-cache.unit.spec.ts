import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { AnswerCache } from './answer-cache.js';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};

describe('answers kept by their ETag', () => {
  it('runs a question once for every request that asks it while it runs, then keeps the answer', async () => {
    const cache = new AnswerCache();
    const run = deferred<object>();
    let runs = 0;
    const compute = () => {
      runs += 1;
      return run.promise;
    };
    const waiting = Array.from({ length: 100 }, () => cache.getOrCompute('W/"a"', compute));
    run.resolve({ places: 12 });
    const answers = await Promise.all(waiting);
    assert.equal(runs, 1);
    assert.ok(answers.every((answer) => answer === answers[0]));
    assert.deepEqual(await cache.getOrCompute('W/"a"', compute), { places: 12 });
    assert.equal(runs, 1);
    assert.deepEqual(cache.get('W/"a"'), { places: 12 });
  });

  it('keeps no failure: the requests that shared it fail, and the next request runs the question again', async () => {
    const cache = new AnswerCache();
    const failing = deferred<object>();
    const shared = [
      cache.getOrCompute('W/"b"', () => failing.promise),
      cache.getOrCompute('W/"b"', () => failing.promise),
    ];
    failing.reject(new Error('database gone'));
    for (const request of shared) await assert.rejects(request, /database gone/);
    assert.equal(cache.get('W/"b"'), undefined);
    assert.deepEqual(await cache.getOrCompute('W/"b"', () => Promise.resolve({ places: 3 })), { places: 3 });
  });

  it('runs different questions separately and drops the oldest answer beyond its capacity', async () => {
    const cache = new AnswerCache(2);
    await cache.getOrCompute('W/"1"', () => Promise.resolve(1));
    await cache.getOrCompute('W/"2"', () => Promise.resolve(2));
    await cache.getOrCompute('W/"3"', () => Promise.resolve(3));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('W/"1"'), undefined);
    assert.equal(cache.get('W/"3"'), 3);
  });
});
