export * from './projection/statistics.projection.js';
export * from './reference/reference-population.js';
export * from './queries/scope.js';
export * from './queries/statistics.queries.js';
export * from './queries/gsi-report.js';
export * from './http/resolve-scope.js';
export * from './statistics.module.js';
export * from './equity/equity.queries.js';
