import { describe, expect, it, jest } from '@jest/globals';
import { StreamTurns } from './stream-turns.js';

const later = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StreamTurns', () => {
  it('runs the commands on one stream one after another, in the order they came, and others alongside', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    const step = (name: string) => async () => {
      log.push(`${name} starts`);
      await later();
      log.push(`${name} ends`);
      return name;
    };
    const results = await Promise.all([
      turns.take('a', step('a1')),
      turns.take('a', step('a2')),
      turns.take('b', step('b1')),
      turns.take('a', step('a3')),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    const onA = log.filter((line) => line.startsWith('a'));
    expect(onA).toEqual(['a1 starts', 'a1 ends', 'a2 starts', 'a2 ends', 'a3 starts', 'a3 ends']);
    // b1 did not wait for a's turns.
    expect(log.indexOf('b1 starts')).toBeLessThan(log.indexOf('a1 ends'));
  });

  it('goes on after a failed turn, which fails only its own caller', async () => {
    const turns = new StreamTurns();
    const failed = turns.take('a', async () => {
      throw new Error('refused');
    });
    const next = turns.take('a', async () => 'ran');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
  });

  it('serves a line of turns longer than its patience in order, none overlapping: patience counts from a turn’s start', async () => {
    // The clock moves only when the test moves it: on a loaded machine a real 10 ms sleep can outlast a 20 ms patience.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const turns = new StreamTurns(20);
      let running = 0;
      let most = 0;
      const order: number[] = [];
      const step = (n: number) => async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 15));
        order.push(n);
        running--;
      };
      const line = Promise.all([1, 2, 3, 4, 5, 6].map((n) => turns.take('a', step(n))));
      // 90 ms of turns of 15 ms each: the line outlasts the patience fourfold, no single turn does.
      await jest.advanceTimersByTimeAsync(6 * 15);
      await line;
      expect(order).toEqual([1, 2, 3, 4, 5, 6]);
      expect(most).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops waiting after its patience: a turn whose holder waits on a later command cannot hang', async () => {
    const turns = new StreamTurns(20);
    const started = performance.now();
    const outer = turns.take('a', async () => {
      await later();
      // The holder waits on a command on the same stream (a test's rival, a step that calls back): no deadlock.
      return turns.take('a', async () => 'inner ran');
    });
    await expect(outer).resolves.toBe('inner ran');
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
  });
});
