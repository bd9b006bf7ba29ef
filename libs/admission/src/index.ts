export * from './admission.module.js';
export * from './admission.process-manager.js';
export * from './offer-deadlines.js';
export * from './place-reregistration.process-manager.js';
