/**
 * A spec that leaves a server, a timer or a connection open must fail the run loudly, not hang CI until its limit.
 * jest ends its worker processes itself; this guards the main process (jest runs a single file in band).
 */
import { stopServices } from './services.js';

// The whole suite takes 16–21 minutes on a 2-core machine under coverage; a hang still fails well inside CI's 90.
const RUN_MINUTES = 45;
const EXIT_SECONDS = 60;
let watchdog: NodeJS.Timeout | undefined;

const fail = async (message: string): Promise<never> => {
  console.error(message);
  await stopServices();
  process.exit(1);
};

export const armWatchdog = (): void => {
  watchdog = setTimeout(
    () => void fail(`Tests still running after ${RUN_MINUTES} minutes: a spec left something open; stopping them`),
    RUN_MINUTES * 60_000,
  ).unref();
};

export const disarmWatchdog = (): void => clearTimeout(watchdog);

/** After the teardown, jest exits unless a spec left a handle open; run with --detectOpenHandles to find it. */
export const expectExit = (): void => {
  setTimeout(
    () =>
      void fail(
        `jest had not exited ${EXIT_SECONDS} s after the tests: a spec left something open (try --detectOpenHandles)`,
      ),
    EXIT_SECONDS * 1000,
  ).unref();
};
