export * from './process-manager.js';
export * from './step-refused.js';
