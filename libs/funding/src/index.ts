export * from './domain/index.js';
export * from './fee-waivers/fee-waivers.projection.js';
export * from './fee-waivers/fee-waivers.query.js';
export * from './funding-process/funding.process-manager.js';
export * from './funding.migrations.js';
export * from './funding.module.js';
export * from './shared/funding-policies.js';
export * from './shared/funding-streams.js';
