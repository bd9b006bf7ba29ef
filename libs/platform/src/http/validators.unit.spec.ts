import { describe, expect, it } from '@jest/globals';
import { IsString, validateSync } from 'class-validator';
import {
  IsCalendarDate,
  IsSchoolYear,
  NoControlCharacters,
  OptionalNotNull,
  hasNoControlCharacters,
  isCalendarDate,
  isPlausibleSchoolYear,
} from './validators.js';

class Body {
  @IsCalendarDate() effectiveOn!: string;
  @NoControlCharacters() school!: string;
  @IsSchoolYear() schoolYear!: string;
}

const VALID: Body = { effectiveOn: '2025-08-10', school: 'Ranheim skole', schoolYear: '2025-2026' };
const errorsOf = (values: Partial<Body>) =>
  validateSync(Object.assign(new Body(), VALID, values)).map((e) => ({
    field: e.property,
    messages: Object.values(e.constraints ?? {}),
  }));

describe('edge validators', () => {
  it.each(['2024-02-29', '2025-02-28', '2025-12-31', '2026-01-01'])('takes %s, a day that exists', (date) =>
    expect(isCalendarDate(date)).toBe(true),
  );

  it.each(['2025-02-30', '2026-13-01', '2026-12-32', '2026-00-10', '2026-01-00', '2025-2-3', '31.12.2025', 20250101])(
    'refuses %s',
    (date) => expect(isCalendarDate(date)).toBe(false),
  );

  it.each(['\u0000', 'Ranheim\u0000skole', 'line\nbreak', 'tab\there', 'del\u007f', 'c1\u0085'])(
    'refuses the control character in %j',
    (text) => expect(hasNoControlCharacters(text)).toBe(false),
  );

  it('takes Norwegian and Sámi letters, dashes and apostrophes', () =>
    expect(hasNoControlCharacters('Kåfjord – Gáivuona skuvla, St. Olav’s')).toBe(true));

  it.each(['2000-2001', '2025-2026', '2099-2100'])('takes %s, a school year', (year) =>
    expect(isPlausibleSchoolYear(year)).toBe(true),
  );

  it.each([
    '0000-0001',
    '1999-2000',
    '2100-2101',
    '2025-2027',
    '2026-2025',
    '2025/2026',
    '2025-26',
    ' 2025-2026',
    2025,
  ])('refuses %s as a school year', (year) => expect(isPlausibleSchoolYear(year)).toBe(false));

  it('names the field at fault in the message', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ effectiveOn: '2025-02-30', school: 'a\u0000b', schoolYear: '0000-0001' })).toEqual([
      { field: 'effectiveOn', messages: ['effectiveOn must be a real calendar date like 2025-08-10'] },
      { field: 'school', messages: ['school must not contain control characters'] },
      {
        field: 'schoolYear',
        messages: ['schoolYear must look like 2025-2026: two consecutive years, from 2000-2001 to 2099-2100'],
      },
    ]);
  });
});

describe('OptionalNotNull', () => {
  class Guardian {
    @OptionalNotNull() @IsString() phone?: string;
  }
  const errorsOf = (values: object) => validateSync(Object.assign(new Guardian(), values)).map((e) => e.property);

  it('takes the field left out, or given', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ phone: '+4791234567' })).toEqual([]);
  });

  it('refuses null, which IsOptional would let through to the command', () =>
    expect(errorsOf({ phone: null })).toEqual(['phone']));
});
