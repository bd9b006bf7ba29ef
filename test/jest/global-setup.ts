import type { Config } from 'jest';
import { startServices, stopServices } from './services.js';
import { armWatchdog } from './watchdog.js';

/** jest's global setup for the integration and end-to-end tiers (one run for both: they name the same file). */
export default async (globalConfig: Config): Promise<void> => {
  try {
    await startServices();
  } catch (error) {
    await stopServices();
    throw error;
  }
  if (!globalConfig.watch && !globalConfig.watchAll) armWatchdog();
};
