import type { EventEmitter } from 'node:events';

/**
 * Resolves on the emitter's next `event`, after `timeoutMs`, or when `signal` aborts, whichever comes first, and takes
 * back every listener and timer it set. A plain timer rather than `AbortSignal.any([signal, AbortSignal.timeout()])`:
 * Node can collect such a timeout signal before it fires (nodejs/node#57736), which left a polling subscriber waiting
 * for good, and every call left one more dependant on the subscription's long-lived signal.
 */
export const wakeUp = (emitter: EventEmitter, event: string, timeoutMs: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      emitter.off(event, done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    emitter.on(event, done);
    signal.addEventListener('abort', done, { once: true });
  });
