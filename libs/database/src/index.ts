export * from './embedded-postgres.js';
export * from './migrate.js';
export * from './pool.js';
export * from './backup.js';
export * from './same-turn-batch.js';
