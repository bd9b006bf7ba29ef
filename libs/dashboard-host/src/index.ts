export * from './dashboard-host.module.js';
export { dashboardDir } from './dashboard-files.js';
