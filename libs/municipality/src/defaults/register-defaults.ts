import { emptyRegisters, type Registers } from '../domain/registers.state.js';
import { LINDESNES_REGISTERS } from './lindesnes.js';
import { TRONDHEIM_REGISTERS } from './trondheim.js';

/** The deployment's registers per tenant id; a tenant not named here starts with empty registers. */
export const DEFAULT_REGISTERS: Readonly<Record<string, Registers>> = {
  trondheim: TRONDHEIM_REGISTERS,
  lindesnes: LINDESNES_REGISTERS,
};

export const defaultRegistersOf = (tenant: string, defaults = DEFAULT_REGISTERS): Registers =>
  Object.hasOwn(defaults, tenant) ? (defaults[tenant] ?? emptyRegisters()) : emptyRegisters();
