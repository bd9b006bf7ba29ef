import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendWatch, EventStore } from '../event-store.js';

/** The store's wake-up on appends when it has one (ADR 0017), else a plain poll every `pollMs`. */
export const appendWatchOf = (store: EventStore, pollMs: number): AppendWatch =>
  store.watchAppends?.() ?? {
    next: (_scanned, signal) => sleep(pollMs, undefined, { signal }).catch(() => undefined),
  };
