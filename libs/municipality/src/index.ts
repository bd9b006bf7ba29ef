/**
 * The municipality's reference data: each tenant's registers (districts, centres, schools, subject catalogue) as its
 * own data, from the deployment's defaults with the tenant's recorded changes on top. Nothing else may type them out.
 */
export * from './domain/registers.state.js';
export * from './domain/registers.events.js';
export * from './domain/registers.commands.js';
export * from './domain/registers.errors.js';
export * from './domain/registers.decider.js';
export * from './defaults/register-defaults.js';
export { TRONDHEIM_REGISTERS } from './defaults/trondheim.js';
export { LINDESNES_REGISTERS } from './defaults/lindesnes.js';

/** A district of the tenant's register, by name (e.g. Trondheim's Heimdal, Lindesnes' Mandal). */
export type District = string;
