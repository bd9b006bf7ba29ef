import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { assessHousehold, type FeeLine, type HouseholdAssessmentInput } from './fee-assessment.js';
import { fundingPolicyFor } from './policy.js';
import { sum } from './money.js';

const isoDay = (min: string, max: string) =>
  fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

const household: fc.Arbitrary<HouseholdAssessmentInput> = fc
  .record({
    term: fc.constantFrom('autumn' as const, 'spring' as const),
    baseFeePerSemester: fc.integer({ min: 0, max: 1_000_000 }),
    siblingDiscount: fc.record({
      percent: fc.integer({ min: 0, max: 100 }),
      fromChild: fc.integer({ min: 1, max: 5 }),
    }),
    lessonsPerSemester: fc.integer({ min: 1, max: 40 }),
    refundFromCancelledLesson: fc.integer({ min: 1, max: 10 }),
    waiverPayPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    birthDates: fc.array(isoDay('2005-01-01', '2020-12-31'), { minLength: 1, maxLength: 6 }),
    places: fc.array(
      fc.record({
        child: fc.nat(),
        startedOn: isoDay('2022-08-01', '2026-07-31'),
        withdrawnOn: fc.option(isoDay('2024-08-01', '2026-07-31'), { nil: null }),
        offeringFee: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
        cancelledLessons: fc.integer({ min: 0, max: 50 }),
      }),
      { maxLength: 10 },
    ),
  })
  .map(({ term, waiverPayPercent, birthDates, places, ...fees }) => ({
    semester: { schoolYear: '2025-2026', term },
    policy: fundingPolicyFor('2025-2026', fees),
    children: birthDates.map((birthDate, index) => ({ childId: `child-${index}`, birthDate })),
    places: places.map(({ child, ...place }, index) => ({
      placeId: `place-${index}`,
      childId: `child-${child % birthDates.length}`,
      offeringId: 'offering-x',
      ...place,
    })),
    waiver:
      waiverPayPercent === null
        ? null
        : { applicationId: 'app-1', schoolYear: '2025-2026', payPercent: waiverPayPercent },
  }));

const byPlace = (lines: readonly FeeLine[]): FeeLine[][] => {
  const groups = new Map<string, FeeLine[]>();
  for (const line of lines) groups.set(line.placeId, [...(groups.get(line.placeId) ?? []), line]);
  return [...groups.values()];
};

const amountOf = (lines: readonly FeeLine[], kinds: readonly FeeLine['kind'][]) =>
  sum(lines.filter((line) => kinds.includes(line.kind)).map((line) => line.amount));

describe('fee assessment properties', () => {
  it('never gives a place a negative total', () =>
    fc.assert(
      fc.property(household, (input) =>
        byPlace(assessHousehold(input).lines).every((lines) => sum(lines.map((l) => l.amount)) >= 0),
      ),
    ));

  it('never lets the sibling discount and the waiver together exceed the fee', () =>
    fc.assert(
      fc.property(household, (input) =>
        byPlace(assessHousehold(input).lines).every(
          (lines) =>
            -amountOf(lines, ['SiblingDiscount', 'WaiverReduction']) <=
            amountOf(lines, ['BaseFee', 'LateWithdrawalCharge']),
        ),
      ),
    ));

  it("makes the household's lines add up to what it owes", () =>
    fc.assert(
      fc.property(household, (input) => {
        const { lines, owes } = assessHousehold(input);
        const perPlace = sum(byPlace(lines).map((group) => sum(group.map((l) => l.amount))));
        assert.equal(owes, sum(lines.map((l) => l.amount)));
        assert.equal(owes, perPlace);
        assert.ok(owes >= 0);
      }),
    ));

  it('bills each place once or says why not, in whole øre', () =>
    fc.assert(
      fc.property(household, (input) => {
        const { lines, notBilled } = assessHousehold(input);
        const charged = lines
          .filter((l) => l.kind === 'BaseFee' || l.kind === 'LateWithdrawalCharge')
          .map((l) => l.placeId);
        assert.deepStrictEqual(
          [...charged, ...notBilled.map((n) => n.placeId)].sort(),
          input.places.map((p) => p.placeId).sort(),
        );
        assert.ok(lines.every((l) => Number.isSafeInteger(l.amount)));
      }),
    ));
});
