import { InvalidAmount } from './funding.errors.js';

/** Money as whole øre (1 NOK = 100 øre): integers add up exactly, floats do not. */
export type Ore = number;

export const nok = (kroner: number): Ore => Math.round(kroner * 100);

export const assertOre = (field: string, value: number): Ore => {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidAmount(field, value);
  return value;
};

// Reductions round down to whole øre, so a reduction never exceeds the amount it reduces.
export const percentOf = (amount: Ore, percent: number): Ore => Math.floor((amount * percent) / 100);

export const sum = (amounts: readonly Ore[]): Ore => amounts.reduce((total, amount) => total + amount, 0);
