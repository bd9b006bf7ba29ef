import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendWatch, ReadAllOptions, ReadAllPage, SubscribeOptions, Subscription } from '../event-store.js';

/** What a polling adapter gives the subscription: pages of `$all` and a wake-up when something may have been appended. */
export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  /** A fresh watch per subscription: it tracks how long a notified append has stayed above the horizon. */
  watch(): AppendWatch;
}

const BATCH = 500;

/**
 * Catch-up then live, supervised: reads pages from the checkpoint until the safe head, then waits for appends (the
 * watch returns at once when an append newer than the scan is already known, so a wake-up during a read is not lost).
 * Live and catch-up are the same loop over the same read, so the switch cannot leave a gap or deliver twice.
 * On any error (including one thrown by onEvent) it backs off and resumes after the last delivered event.
 */
export const catchUpSubscription = (source: CatchUpSource, options: SubscribeOptions): Subscription => {
  const abort = new AbortController();
  const initialDelay = options.retry?.initialDelayMs ?? 100;
  const maxDelay = options.retry?.maxDelayMs ?? 10_000;
  let position = options.fromPosition;
  let scanned = options.fromPosition;
  const watch = source.watch();

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
          await watch.next(scanned, abort.signal);
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
