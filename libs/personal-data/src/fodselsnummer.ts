import { DomainError } from '#libs/decider';

/**
 * Norwegian national identity numbers as the population register (Folkeregisteret) issues them: DDMMYY III K1 K2.
 * - fødselsnummer: the birth date as is;
 * - D-number: day + 40 (people with a temporary relation to Norway);
 * - H-number: month + 40 (help numbers of the health sector);
 * - synthetic test numbers of Skatteetaten's test register (Tenor): month + 80, only when the caller accepts them.
 * Check digits are the classic mod-11 pair. Numbers issued from 2032 allow K1 remainders 0–3 and no longer encode
 * the century; they are not accepted yet (Skatteetaten, "Nytt fødselsnummer 2032").
 */
export type NumberKind = 'fodselsnummer' | 'd-number' | 'h-number';

export interface FodselsnummerRules {
  /** Skatteetaten's synthetic test numbers (month + 80); for test and demo data, never in production. */
  acceptSynthetic?: boolean;
}

export type InvalidReason = 'format' | 'check digits' | 'date';

/** The field is named, the number never: error messages end up in logs and problem responses. */
export class InvalidFodselsnummer extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly field: string,
    readonly reason: InvalidReason,
  ) {
    super(`${field} is not a valid national identity number (${reasonText[reason]})`);
  }
}

const reasonText: Record<InvalidReason, string> = {
  format: 'it must be 11 digits',
  'check digits': 'the check digits do not match',
  date: 'it holds no valid birth date',
};

// Weights including the check digit itself (weight 1): a valid number sums to 0 mod 11.
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1];
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

/** [first individual number, last, first birth year, last birth year]; each row lies within one century. */
type Series = readonly [number, number, number, number];
const FODSELSNUMMER_SERIES: readonly Series[] = [
  [0, 499, 1900, 1999],
  [500, 749, 1854, 1899],
  [500, 999, 2000, 2039],
  [900, 999, 1940, 1999],
];
// D-numbers use wider series since August 2021 (Skatteetaten, "Utvidelse av D-nummerserien").
const D_NUMBER_SERIES: readonly Series[] = [
  [500, 599, 1858, 1899],
  [0, 199, 1900, 1939],
  [0, 499, 1940, 1999],
  [600, 999, 1940, 1999],
  [200, 999, 2000, 2039],
];

export const seriesFor = (kind: NumberKind): readonly Series[] =>
  kind === 'd-number' ? D_NUMBER_SERIES : FODSELSNUMMER_SERIES;

const weightedSum = (digits: readonly number[], weights: readonly number[]): number =>
  weights.reduce((sum, weight, index) => sum + weight * (digits[index] ?? 0), 0);

export interface ParsedFodselsnummer {
  kind: NumberKind;
  synthetic: boolean;
  birthDate: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const parse = (value: string, rules: FodselsnummerRules): ParsedFodselsnummer | InvalidReason => {
  if (!/^\d{11}$/.test(value)) return 'format';
  const digits = [...value].map(Number);
  if (weightedSum(digits, K1_WEIGHTS) % 11 !== 0 || weightedSum(digits, K2_WEIGHTS) % 11 !== 0) return 'check digits';

  let day = Number(value.slice(0, 2));
  let month = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const individual = Number(value.slice(6, 9));
  const synthetic = rules.acceptSynthetic === true && month > 80;
  if (synthetic) month -= 80;
  const dNumber = day > 40;
  const hNumber = month > 40;
  if (dNumber) day -= 40;
  if (hNumber) month -= 40;
  if (dNumber && hNumber) return 'date';
  const kind: NumberKind = dNumber ? 'd-number' : hNumber ? 'h-number' : 'fodselsnummer';

  const series = seriesFor(kind).find(([first, last, from, to]) => {
    const year = from - (from % 100) + yy;
    return individual >= first && individual <= last && year >= from && year <= to;
  });
  if (!series) return 'date';
  const year = series[2] - (series[2] % 100) + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!real) return 'date';
  return { kind, synthetic, birthDate: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
};

export const isValidFodselsnummer = (value: string, rules: FodselsnummerRules = {}): boolean =>
  typeof parse(value, rules) !== 'string';

/** Throws `InvalidFodselsnummer` naming `field` (and why) unless `value` is a valid number. */
export const assertValidFodselsnummer = (
  value: string,
  field = 'nationalIdentityNumber',
  rules: FodselsnummerRules = {},
): ParsedFodselsnummer => {
  const parsed = parse(value, rules);
  if (typeof parsed === 'string') throw new InvalidFodselsnummer(field, parsed);
  return parsed;
};

/** The birth date (YYYY-MM-DD) the number encodes, with the century read from the individual number. */
export const birthDateOf = (fnr: string, rules: FodselsnummerRules = {}): string =>
  assertValidFodselsnummer(fnr, 'nationalIdentityNumber', rules).birthDate;
