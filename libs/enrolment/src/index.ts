export * from './domain/index.js';
export * from './enrolment.module.js';
export * from './shared/offering-stream.js';
