export * from './domain/index.js';
export * from './shared/waitlist-streams.js';
export * from './waitlist.module.js';
export * from './waitlist-queue/waitlist-queue.projection.js';
export * from './waitlist-queue/waitlist-queue.query.js';
