export * from './dashboard-host.module.js';
export { dashboardDir } from './dashboard-files.js';
export { SignedInController } from './local-sign-in.controller.js';
