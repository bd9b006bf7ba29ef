export * from './domain/index.js';
export * from './shared/waitlist-streams.js';
export * from './waitlist.module.js';
