export * from './fodselsnummer.js';
export * from './master-key.js';
export * from './personal-data-vault.js';
export * from './personal-data.module.js';
export * from './personal-data-http.module.js';
export { UnreadableCiphertext } from './sealed-box.js';
export * from './subject-keys.migrations.js';
export * from './people-register.js';
export * from './intake/personal-data-intake.js';
