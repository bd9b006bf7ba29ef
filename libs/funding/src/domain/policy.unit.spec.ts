import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InvalidPolicy, InvalidSchoolYear, UnknownBaseAmount } from './funding.errors.js';
import { bandFor, fullWaiverUpTo4G, gradedScheduleExample } from './income-schedule.js';
import { nok } from './money.js';
import { fundingPolicyFor } from './policy.js';
import { nextSchoolYear, parseSchoolYear, schoolYearEndsAt, withdrawalDeadline } from './school-year.js';

const G = nok(130_160);

describe('school year', () => {
  it('accepts 2025-2026', () => assert.equal(parseSchoolYear('2025-2026'), '2025-2026'));

  for (const bad of ['2025/2026', '2025-26', '2025-2025', '2026-2025', ' 2025-2026', ''])
    it(`refuses "${bad}"`, () => assert.throws(() => parseSchoolYear(bad), InvalidSchoolYear));

  it('is followed by the next', () => assert.equal(nextSchoolYear('2025-2026'), '2026-2027'));

  it('ends at midnight starting 1 August, Oslo time', () =>
    assert.equal(schoolYearEndsAt('2025-2026').toISOString(), '2026-07-31T22:00:00.000Z'));

  it('has its spring deadline in December of its first year', () =>
    assert.equal(
      withdrawalDeadline(
        { schoolYear: '2025-2026', term: 'spring' },
        { autumn: { month: 8, day: 10 }, spring: { month: 12, day: 10 } },
      ),
      '2025-12-10',
    ));
});

describe('funding policy', () => {
  it("uses Trondheim's defaults and the year's G", () => {
    const policy = fundingPolicyFor('2025-2026');
    assert.deepStrictEqual(
      [
        policy.baseFeePerSemester,
        policy.siblingDiscount,
        policy.lessonsPerSemester,
        policy.refundFromCancelledLesson,
        policy.baseAmountG,
      ],
      [210_500, { percent: 50, fromChild: 3 }, 18, 3, G],
    );
    assert.deepStrictEqual(policy.incomeSchedule, fullWaiverUpTo4G);
  });

  it('refuses a year without a configured G', () =>
    assert.throws(() => fundingPolicyFor('2030-2031'), UnknownBaseAmount));

  it('accepts a configured G for a new year', () =>
    assert.equal(fundingPolicyFor('2030-2031', { baseAmountG: nok(150_000) }).baseAmountG, 15_000_000));

  it.each([
    [
      'refuses bands that do not rise in G',
      {
        incomeSchedule: [
          { upToG: 3, payPercent: 0 },
          { upToG: 2, payPercent: 30 },
        ],
      },
    ],
    [
      'refuses a band where a higher income pays less',
      {
        incomeSchedule: [
          { upToG: 2, payPercent: 50 },
          { upToG: 3, payPercent: 30 },
        ],
      },
    ],
    ['refuses a band that pays the full fee', { incomeSchedule: [{ upToG: 2, payPercent: 100 }] }],
    ['refuses a sibling discount above 100%', { siblingDiscount: { percent: 101, fromChild: 3 } }],
    ['refuses zero lessons per semester', { lessonsPerSemester: 0 }],
  ] satisfies [string, Parameters<typeof fundingPolicyFor>[1]][])('%s', (_, overrides) =>
    assert.throws(() => fundingPolicyFor('2025-2026', overrides), InvalidPolicy),
  );
});

describe('income schedule', () => {
  it('includes the limit itself', () =>
    assert.deepStrictEqual(bandFor(2 * G, gradedScheduleExample, G), { upToG: 2, payPercent: 0 }));

  it('moves to the next band 1 øre above it', () =>
    assert.deepStrictEqual(bandFor(2 * G + 1, gradedScheduleExample, G), { upToG: 3, payPercent: 30 }));

  it('has no band above the last limit', () => assert.equal(bandFor(5 * G + 1, gradedScheduleExample, G), undefined));

  it('handles fractional G limits exactly', () =>
    assert.deepStrictEqual(bandFor(nok(325_400), [{ upToG: 2.5, payPercent: 0 }], G), { upToG: 2.5, payPercent: 0 }));
});
