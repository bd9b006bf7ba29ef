export * from './envelope.js';
export * from './errors.js';
export * from './event-store.js';
export * from './stream-name.js';
export * from './upcasters.js';
