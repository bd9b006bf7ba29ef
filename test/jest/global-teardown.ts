import type { Config } from 'jest';
import { stopServices } from './services.js';
import { disarmWatchdog, expectExit } from './watchdog.js';

/** Stops what the setup started; outside watch mode, a process still alive a minute later is a failure. */
export default async (globalConfig: Config): Promise<void> => {
  disarmWatchdog();
  await stopServices();
  if (!globalConfig.watch && !globalConfig.watchAll) expectExit();
};
