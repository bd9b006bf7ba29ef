import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `probe` returns a value (not undefined/false) — for effects of process managers, which run async. */
export const eventually = async <T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await sleep(25);
  }
};
