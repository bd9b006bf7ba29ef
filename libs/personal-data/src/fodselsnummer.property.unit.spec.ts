import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { birthDateOf, isValidFodselsnummer, seriesFor, type NumberKind } from './fodselsnummer.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// The register's recipe, written independently of the validator: weights, 11 → 0, 10 → no number.
const checkDigit = (digits: readonly number[], weights: readonly number[]): number | undefined => {
  const k = 11 - (weights.reduce((sum, weight, i) => sum + weight * (digits[i] ?? 0), 0) % 11);
  return k === 11 ? 0 : k === 10 ? undefined : k;
};
const withCheckDigits = (nine: string): string | undefined => {
  const digits = [...nine].map(Number);
  const k1 = checkDigit(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
  if (k1 === undefined) return undefined;
  const k2 = checkDigit([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  return k2 === undefined ? undefined : `${nine}${k1}${k2}`;
};

interface Built {
  number: string;
  born: string;
  synthetic: boolean;
}

/** Any issued shape: a real date in a series of its kind, offsets applied, correct check digits. */
const issuedNumber: fc.Arbitrary<Built> = fc
  .record({
    kind: fc.constantFrom<NumberKind>('fodselsnummer', 'd-number', 'h-number'),
    synthetic: fc.boolean(),
    seriesPick: fc.nat(),
    individualPick: fc.nat(),
    yearPick: fc.nat(),
    dayOfYear: fc.integer({ min: 0, max: 364 }), // always within the year, 29 February included
  })
  .filter(({ kind, synthetic }) => !(synthetic && kind === 'h-number'))
  .map(({ kind, synthetic, seriesPick, individualPick, yearPick, dayOfYear }) => {
    const all = seriesFor(kind);
    const [first, last, from, to] = all[seriesPick % all.length] ?? [0, 499, 1900, 1999];
    const individual = first + (individualPick % (last - first + 1));
    const year = from + (yearPick % (to - from + 1));
    const date = new Date(Date.UTC(year, 0, 1 + dayOfYear));
    const day = date.getUTCDate() + (kind === 'd-number' ? 40 : 0);
    const month = date.getUTCMonth() + 1 + (kind === 'h-number' ? 40 : 0) + (synthetic ? 80 : 0);
    const number = withCheckDigits(`${pad(day)}${pad(month)}${pad(year % 100)}${pad(individual, 3)}`);
    return { number, born: date.toISOString().slice(0, 10), synthetic };
  })
  .filter((built): built is Built => built.number !== undefined);

describe('fødselsnummer properties', () => {
  it('accepts every number built from a real date with correct check digits, and reads the date back', () => {
    fc.assert(
      fc.property(issuedNumber, ({ number, born, synthetic }) => {
        assert.equal(isValidFodselsnummer(number, { acceptSynthetic: synthetic }), true);
        assert.equal(birthDateOf(number, { acceptSynthetic: synthetic }), born);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses the number once any one digit is changed', () => {
    fc.assert(
      fc.property(
        issuedNumber,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        ({ number }, position, shift) => {
          const changed = (Number(number[position]) + shift) % 10;
          const flipped = `${number.slice(0, position)}${changed}${number.slice(position + 1)}`;
          assert.equal(isValidFodselsnummer(flipped, { acceptSynthetic: true }), false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
