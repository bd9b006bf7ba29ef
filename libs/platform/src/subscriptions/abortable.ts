/**
 * Settles like `promise`, or with `undefined` as soon as `signal` aborts (at once when it already has). Whatever
 * `promise` still brings after that goes to `late` (a pooled connection to give back, a subscription to stop), so a
 * stop never waits on it and nothing it holds is left behind; a late rejection is dropped.
 */
export const unlessAborted = <T>(
  promise: Promise<T>,
  signal: AbortSignal,
  late: (value: T) => void = () => undefined,
): Promise<T | undefined> =>
  new Promise<T | undefined>((resolve, reject) => {
    let settled = false;
    const aborted = () => {
      if (settled) return;
      settled = true;
      resolve(undefined);
    };
    promise.then(
      (value) => {
        signal.removeEventListener('abort', aborted);
        if (settled) return late(value);
        settled = true;
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', aborted);
        if (settled) return;
        settled = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
    if (signal.aborted) aborted();
    else signal.addEventListener('abort', aborted, { once: true });
  });

/** Whether `promise` settled (either way) within `ms`; the timer does not outlive the wait. */
export const settlesWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
};
