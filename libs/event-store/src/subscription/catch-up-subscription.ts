import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadAllOptions, ReadAllPage, SubscribeOptions, Subscription } from '../event-store.js';

/** What a polling adapter gives the subscription: pages of `$all` and a wake-up when something may have been appended. */
export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  /** Resolves when new events may be readable, or after `timeoutMs`, or when `signal` aborts. */
  waitForAppend(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

const BATCH = 500;
const IDLE_POLL_MS = 250;

/**
 * Catch-up then live, supervised: reads pages from the checkpoint until the safe head, then waits for appends.
 * Live and catch-up are the same loop over the same read, so the switch cannot leave a gap or deliver twice.
 * On any error (including one thrown by onEvent) it backs off and resumes after the last delivered event.
 */
export const catchUpSubscription = (source: CatchUpSource, options: SubscribeOptions): Subscription => {
  const abort = new AbortController();
  const initialDelay = options.retry?.initialDelayMs ?? 100;
  const maxDelay = options.retry?.maxDelayMs ?? 10_000;
  let position = options.fromPosition;
  let scanned = options.fromPosition;

  const run = async (): Promise<void> => {
    let attempt = 0;
    while (!abort.signal.aborted) {
      try {
        const page = await source.readAll({ fromPosition: scanned, maxCount: BATCH, filter: options.filter });
        for (const event of page.events) {
          if (abort.signal.aborted) return;
          await options.onEvent(event);
          position = event.position;
          scanned = event.position;
        }
        // Filtered-out events still move the scan forward, so a sparse filter does not rescan them.
        if (page.lastPosition !== undefined && (scanned === undefined || page.lastPosition > scanned)) {
          scanned = page.lastPosition;
        }
        attempt = 0;
        if (page.isEnd) {
          options.onCaughtUp?.(position);
          await source.waitForAppend(IDLE_POLL_MS, abort.signal);
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        attempt += 1;
        scanned = position;
        options.onError?.(error, attempt);
        const delay = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 16));
        await sleep(delay * (0.5 + Math.random() / 2), undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  };

  const running = run();
  return {
    get position() {
      return position;
    },
    async stop() {
      abort.abort();
      await running;
    },
  };
};
