import { describe, expect, it } from '@jest/globals';
import { validateSync } from 'class-validator';
import { IsCalendarDate, NoControlCharacters, hasNoControlCharacters, isCalendarDate } from './validators.js';

class Body {
  @IsCalendarDate() effectiveOn!: string;
  @NoControlCharacters() school!: string;
}

const errorsOf = (values: Partial<Body>) =>
  validateSync(Object.assign(new Body(), { effectiveOn: '2025-08-10', school: 'Ranheim skole', ...values })).map(
    (e) => ({ field: e.property, messages: Object.values(e.constraints ?? {}) }),
  );

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

  it('names the field at fault in the message', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ effectiveOn: '2025-02-30', school: 'a\u0000b' })).toEqual([
      { field: 'effectiveOn', messages: ['effectiveOn must be a real calendar date like 2025-08-10'] },
      { field: 'school', messages: ['school must not contain control characters'] },
    ]);
  });
});
