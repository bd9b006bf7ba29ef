import assert from 'node:assert/strict';
import { EventEmitter, getEventListeners } from 'node:events';
import { describe, it } from '@jest/globals';
import { wakeUp } from './wake-up.js';

describe('wakeUp (a polling subscriber’s wait)', () => {
  const leftover = (emitter: EventEmitter, signal: AbortSignal) =>
    emitter.listenerCount('append') + getEventListeners(signal, 'abort').length;

  it('resolves after the timeout, and leaves no listener behind', async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await wakeUp(emitter, 'append', 1, controller.signal);
    assert.equal(leftover(emitter, controller.signal), 0);
  });

  it('resolves at once on an append, and on an abort', async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    const started = Date.now();
    const woken = wakeUp(emitter, 'append', 60_000, controller.signal);
    emitter.emit('append');
    await woken;
    const stopped = wakeUp(emitter, 'append', 60_000, controller.signal);
    controller.abort();
    await stopped;
    assert.ok(Date.now() - started < 5_000);
    assert.equal(leftover(emitter, controller.signal), 0);
    await wakeUp(emitter, 'append', 60_000, controller.signal); // already aborted: no wait at all
  });
});
