// Figures that update without a reload: the screen's reads run again every few seconds, and the screen changes only
// when the read model's freshness (its position in the event log) moved.
import { useEffect, useState } from 'preact/hooks';
import type { Freshness } from './api';

export const POLL_MS = 5_000;

export interface Live<T> {
  data: T | null;
  error: string | null;
  /** Increases whenever the figures changed (a new position), for the test and the screen reader's notice. */
  version: number;
}

const positionsOf = (value: unknown): string =>
  JSON.stringify(value, (key, inner: unknown) => (key === 'freshness' ? (inner as Freshness).position : inner));

export const useLive = <T>(load: () => Promise<T>, deps: unknown[]): Live<T> => {
  const [state, setState] = useState<Live<T>>({ data: null, error: null, version: 0 });
  useEffect(() => {
    let stopped = false;
    let seen = '';
    const run = async () => {
      try {
        const data = await load();
        const key = positionsOf(data);
        if (!stopped && key !== seen) {
          seen = key;
          setState((previous) => ({ data, error: null, version: previous.version + 1 }));
        }
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error: (error as Error).message }));
      }
    };
    void run();
    const timer = setInterval(() => void run(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
    // The caller names what the reads depend on (the day, a filter), as a hook's dependency list.
  }, deps);
  return state;
};
