import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DomainError } from '#libs/decider';
import { assertValidFodselsnummer, birthDateOf, InvalidFodselsnummer, isValidFodselsnummer } from './fodselsnummer.js';

// Check digits by hand: K1 = 11 − (3d1+7d2+6m1+1m2+8y1+9y2+4i1+5i2+2i3) mod 11,
// K2 = 11 − (5d1+4d2+3m1+2m2+7y1+6y2+5i1+4i2+3i3+2K1) mod 11; 11 becomes 0, 10 means no such number.
const valid = [
  // 150812 512: K1 = 11 − (3+35+0+8+8+18+20+5+4 = 101 ≡ 2) = 9; K2 = 11 − (5+20+0+16+7+12+25+4+6+18 = 113 ≡ 3) = 8
  { number: '15081251298', born: '2012-08-15', what: 'a child born 2012 (individual 500–999 with year 00–39)' },
  // 290296 124: K1 = 11 − (6+63+0+2+72+54+4+10+8 = 219 ≡ 10) = 1; K2 = 11 − (10+36+0+4+63+36+5+8+12+2 = 176 ≡ 0) = 0
  { number: '29029612410', born: '1996-02-29', what: 'a leap day in 1996 (individual 000–499)' },
  // 170545 901: K1 = 11 − (3+49+0+5+32+45+36+0+2 = 172 ≡ 7) = 4; K2 = 11 − (5+28+0+10+28+30+45+0+3+8 = 157 ≡ 3) = 8
  { number: '17054590148', born: '1945-05-17', what: 'individual 900–999 with year 40–99 (1940s)' },
  // D-number, day 03+40: K1 = 11 − (12+21+0+3+8+45+12+20+10 = 131 ≡ 10) = 1;
  // K2 = 11 − (20+12+0+6+7+30+15+16+15+2 = 123 ≡ 2) = 9; individual 345 is 2015 in the D-number series
  { number: '43031534519', born: '2015-03-03', what: 'a D-number (day + 40)' },
  // H-number, month 06+40: K1 = 11 − (3+0+24+6+8+0+24+0+0 = 65 ≡ 10) = 1; K2 = 11 − (5+0+12+12+7+0+30+0+0+2 = 68 ≡ 2) = 9
  { number: '10461060019', born: '2010-06-10', what: 'an H-number (month + 40)' },
];

// 050114 700 as a synthetic number, month 01+80: K1 = 11 − (0+35+48+1+8+36+28+0+0 = 156 ≡ 2) = 9;
// K2 = 11 − (0+20+24+2+7+24+35+0+0+18 = 130 ≡ 9) = 2
const synthetic = '05811470092';

describe('fødselsnummer', () => {
  for (const { number, born, what } of valid) {
    it(`accepts ${what} and reads its birth date`, () => {
      assert.equal(isValidFodselsnummer(number), true);
      assert.equal(birthDateOf(number), born);
    });
  }

  it('reads the kind of number', () => {
    assert.equal(assertValidFodselsnummer('15081251298').kind, 'fodselsnummer');
    assert.equal(assertValidFodselsnummer('43031534519').kind, 'd-number');
    assert.equal(assertValidFodselsnummer('10461060019').kind, 'h-number');
  });

  it("accepts Skatteetaten's synthetic test numbers (month + 80) only when asked to", () => {
    assert.equal(isValidFodselsnummer(synthetic), false);
    assert.equal(isValidFodselsnummer(synthetic, { acceptSynthetic: true }), true);
    assert.equal(birthDateOf(synthetic, { acceptSynthetic: true }), '2014-01-05');
    assert.equal(assertValidFodselsnummer(synthetic, 'x', { acceptSynthetic: true }).synthetic, true);
  });

  const invalid = [
    { number: '15081251299', reason: 'check digits', what: 'a wrong second check digit' },
    { number: '15081251288', reason: 'check digits', what: 'a wrong first check digit' },
    // 290297 124, check digits 3 and 1 computed as above, but 1997 was no leap year
    { number: '29029712431', reason: 'date', what: '29 February in a common year' },
    // 310412 512 with check digits 2 and 3: April has 30 days
    { number: '31041251223', reason: 'date', what: '31 April' },
    // 010160 800 with check digits 0 and 0: the series 750–899 is not issued for 1940–1999
    { number: '01016080000', reason: 'date', what: 'an individual number outside every series' },
    { number: '1508125129', reason: 'format', what: 'ten digits' },
    { number: '150812512980', reason: 'format', what: 'twelve digits' },
    { number: '1508125129X', reason: 'format', what: 'a letter' },
    { number: '150812 51298', reason: 'format', what: 'a space' },
    { number: '', reason: 'format', what: 'nothing' },
  ] as const;
  for (const { number, reason, what } of invalid) {
    it(`refuses ${what}`, () => {
      assert.equal(isValidFodselsnummer(number), false);
      assert.throws(
        () => birthDateOf(number),
        (error: unknown) => error instanceof InvalidFodselsnummer && error.reason === reason,
      );
    });
  }

  it('names the field in the error but never echoes the number', () => {
    assert.throws(
      () => assertValidFodselsnummer('15081251299', 'guardian.nationalIdentityNumber'),
      (error: unknown) =>
        error instanceof InvalidFodselsnummer &&
        error instanceof DomainError &&
        error.kind === 'invalid' &&
        error.message.startsWith('guardian.nationalIdentityNumber is not a valid national identity number') &&
        !/1508|51299/.test(error.message),
    );
  });
});
