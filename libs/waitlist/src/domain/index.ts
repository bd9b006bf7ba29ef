export * from '#libs/calendar';
export * from './waitlist.commands.js';
export * from './waitlist.decider.js';
export * from './waitlist.errors.js';
export * from './waitlist.events.js';
export * from './waitlist.policy.js';
export * from './waitlist-queue.js';
export * from './waitlist.state.js';
