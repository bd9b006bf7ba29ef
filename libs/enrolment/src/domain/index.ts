export * from './enrolment.errors.js';
export * from './enrolment.policy.js';
export * from './kulturdag.decider.js';
export * from '#libs/decider';
export * from './offering.decider.js';
export * from './offering.messages.js';
export * from './student.decider.js';
