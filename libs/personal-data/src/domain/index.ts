export * from './person.commands.js';
export * from './person.decider.js';
export * from './person.errors.js';
export * from './person.events.js';
