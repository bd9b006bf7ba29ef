export * from './decider-specification.js';
export * from './test-database.js';
export * from './kafka-broker.js';
export * from './app-under-test.js';
export * from './national-ids.js';
export * from './eventually.js';
export * from './free-port.js';
export * from './committed-events.js';
