import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import {
  InvalidAssessmentInput,
  PolicyIsForAnotherSchoolYear,
  WaiverIsForAnotherSchoolYear,
} from './funding.errors.js';
import {
  assessHousehold,
  type ChildOfPayer,
  type HouseholdAssessmentInput,
  type PlaceToAssess,
} from './fee-assessment.js';
import { fundingPolicyFor } from './policy.js';
import type { Term } from './school-year.js';

const policy = fundingPolicyFor('2025-2026');
const child = (childId: string, birthDate: string): ChildOfPayer => ({ childId, birthDate });
const place = (placeId: string, childId: string, more: Partial<PlaceToAssess> = {}): PlaceToAssess => ({
  placeId,
  childId,
  offeringId: 'offering-piano',
  startedOn: '2024-08-19',
  withdrawnOn: null,
  offeringFee: null,
  cancelledLessons: 0,
  ...more,
});
const input = (more: Partial<HouseholdAssessmentInput> & { term?: Term } = {}): HouseholdAssessmentInput => ({
  semester: { schoolYear: '2025-2026', term: more.term ?? 'autumn' },
  policy,
  children: [child('c1', '2012-01-01')],
  places: [place('p1', 'c1')],
  waiver: null,
  ...more,
});
const rows = (assessment: { lines: { placeId: string; kind: string; amount: number }[] }) =>
  assessment.lines.map((l) => [l.placeId, l.kind, l.amount]);

const threeChildren = [child('young', '2016-01-01'), child('old', '2010-01-01'), child('middle', '2013-01-01')];

describe('fee assessment', () => {
  describe('base fee', () => {
    it('charges NOK 2,105 per place per semester by default', () =>
      assert.deepStrictEqual(rows(assessHousehold(input())), [['p1', 'BaseFee', 210_500]]));

    it("charges an offering's own fee where it has one", () =>
      assert.deepStrictEqual(rows(assessHousehold(input({ places: [place('p1', 'c1', { offeringFee: 300_000 })] }))), [
        ['p1', 'BaseFee', 300_000],
      ]));

    it('does not bill a place that starts after the semester', () =>
      assert.deepStrictEqual(
        assessHousehold(input({ places: [place('p1', 'c1', { startedOn: '2026-01-05' })] })).notBilled,
        [{ placeId: 'p1', reason: 'StartsLater' }],
      ));
  });

  describe('transfer', () => {
    // Piano (NOK 2,105) left for guitar (NOK 2,052.50): from 1 October, or from 1 January.
    const transfer = (effectiveOn: string) => [
      place('piano', 'c1', { transferredOutOn: effectiveOn }),
      place('guitar', 'c1', { offeringFee: 205_250, startedOn: effectiveOn, transferredInOn: effectiveOn }),
    ];
    const billed = (term: Term, effectiveOn: string) => {
      const assessed = assessHousehold(input({ term, places: transfer(effectiveOn) }));
      return [rows(assessed), assessed.notBilled];
    };

    it('bills a semester once, for the place held when it began', () => {
      assert.deepStrictEqual(billed('autumn', '2025-10-01'), [
        [['piano', 'BaseFee', 210_500]],
        [{ placeId: 'guitar', reason: 'TransferredIn' }],
      ]);
      assert.deepStrictEqual(billed('spring', '2025-10-01'), [
        [['guitar', 'BaseFee', 205_250]],
        [{ placeId: 'piano', reason: 'TransferredOut' }],
      ]);
    });

    it("bills the new place's fee from the semester the transfer begins on", () =>
      assert.deepStrictEqual(billed('spring', '2026-01-01'), [
        [['guitar', 'BaseFee', 205_250]],
        [{ placeId: 'piano', reason: 'TransferredOut' }],
      ]));
  });

  describe('sibling discount', () => {
    it('gives none to two children', () => {
      const children = [child('a', '2010-01-01'), child('b', '2012-01-01')];
      const lines = assessHousehold(input({ children, places: [place('pa', 'a'), place('pb', 'b')] })).lines;
      assert.ok(lines.every((l) => l.kind === 'BaseFee'));
    });

    it('takes 50% off the first place of the third child by birth date, not by enrolment', () => {
      const places = [
        place('p-young', 'young', { startedOn: '2020-08-01' }),
        place('p-old', 'old'),
        place('p-middle', 'middle'),
      ];
      assert.deepStrictEqual(rows(assessHousehold(input({ children: threeChildren, places }))), [
        ['p-old', 'BaseFee', 210_500],
        ['p-middle', 'BaseFee', 210_500],
        ['p-young', 'BaseFee', 210_500],
        ['p-young', 'SiblingDiscount', -105_250],
      ]);
    });

    it("discounts only the child's first place, the one held longest", () => {
      const places = [
        place('p-old', 'old'),
        place('p-middle', 'middle'),
        place('p-young-2', 'young', { startedOn: '2025-08-18' }),
        place('p-young-1', 'young', { startedOn: '2024-08-19' }),
      ];
      const discounted = assessHousehold(input({ children: threeChildren, places })).lines.filter(
        (l) => l.kind === 'SiblingDiscount',
      );
      assert.deepStrictEqual(
        discounted.map((l) => l.placeId),
        ['p-young-1'],
      );
    });

    it('discounts the fourth child too', () => {
      const children = [...threeChildren, child('youngest', '2018-01-01')];
      const places = children.map((c) => place(`p-${c.childId}`, c.childId));
      const discounted = assessHousehold(input({ children, places })).lines.filter((l) => l.kind === 'SiblingDiscount');
      assert.deepStrictEqual(
        discounted.map((l) => [l.placeId, l.kind === 'SiblingDiscount' && l.childNumber]),
        [
          ['p-young', 3],
          ['p-youngest', 4],
        ],
      );
    });

    it('orders twins by child id', () => {
      const children = [child('b-twin', '2015-05-05'), child('a-twin', '2015-05-05'), child('old', '2010-01-01')];
      const places = children.map((c) => place(`p-${c.childId}`, c.childId));
      const discounted = assessHousehold(input({ children, places })).lines.filter((l) => l.kind === 'SiblingDiscount');
      assert.deepStrictEqual(
        discounted.map((l) => l.placeId),
        ['p-b-twin'],
      );
    });

    it('counts only children with a place billed this semester', () => {
      const places = [
        place('p-old', 'old', { withdrawnOn: '2025-06-01' }),
        place('p-middle', 'middle'),
        place('p-young', 'young'),
      ];
      const lines = assessHousehold(input({ children: threeChildren, places })).lines;
      assert.ok(lines.every((l) => l.kind !== 'SiblingDiscount'));
    });
  });

  describe('refund of lessons cancelled by the school', () => {
    const withCancelled = (cancelledLessons: number) =>
      rows(assessHousehold(input({ places: [place('p1', 'c1', { cancelledLessons })] })));

    it('refunds nothing for the first two', () =>
      assert.deepStrictEqual(withCancelled(2), [['p1', 'BaseFee', 210_500]]));

    it('refunds from the third, a lesson being the fee over 18 lessons', () =>
      assert.deepStrictEqual(withCancelled(3), [
        ['p1', 'BaseFee', 210_500],
        ['p1', 'CancelledLessonsRefund', -11_694],
      ]));

    it('never refunds more than the fee', () =>
      assert.deepStrictEqual(withCancelled(40), [
        ['p1', 'BaseFee', 210_500],
        ['p1', 'CancelledLessonsRefund', -210_500],
      ]));

    it('refunds nothing on a fully waived place', () => {
      const waiver = { applicationId: 'app-1', schoolYear: '2025-2026' as const, payPercent: 0 };
      const assessment = assessHousehold(input({ waiver, places: [place('p1', 'c1', { cancelledLessons: 6 })] }));
      assert.deepStrictEqual(rows(assessment), [
        ['p1', 'BaseFee', 210_500],
        ['p1', 'WaiverReduction', -210_500],
      ]);
      assert.equal(assessment.owes, 0);
    });
  });

  describe('withdrawal deadlines', () => {
    const withdrawnOn = (date: string, term: Term) =>
      assessHousehold(input({ term, places: [place('p1', 'c1', { withdrawnOn: date })] }));

    it('frees autumn for a withdrawal on 10 August', () =>
      assert.deepStrictEqual(withdrawnOn('2025-08-10', 'autumn').notBilled, [
        { placeId: 'p1', reason: 'WithdrawnByDeadline' },
      ]));

    it('owes autumn for a withdrawal on 11 August', () =>
      assert.deepStrictEqual(rows(withdrawnOn('2025-08-11', 'autumn')), [['p1', 'BaseFee', 210_500]]));

    it('frees spring for a withdrawal in October', () => assert.equal(withdrawnOn('2025-10-15', 'spring').owes, 0));

    it('frees spring for a withdrawal on 10 December', () =>
      assert.deepStrictEqual(withdrawnOn('2025-12-10', 'spring').notBilled, [
        { placeId: 'p1', reason: 'WithdrawnByDeadline' },
      ]));

    it('owes spring as a late-withdrawal charge for a withdrawal on 11 December', () =>
      assert.deepStrictEqual(rows(withdrawnOn('2025-12-11', 'spring')), [['p1', 'LateWithdrawalCharge', 210_500]]));

    it('bills spring as a base fee for a withdrawal during spring', () =>
      assert.deepStrictEqual(rows(withdrawnOn('2026-03-01', 'spring')), [['p1', 'BaseFee', 210_500]]));
  });

  describe('bad input', () => {
    it("refuses another year's policy", () =>
      assert.throws(
        () => assessHousehold(input({ policy: fundingPolicyFor('2024-2025') })),
        PolicyIsForAnotherSchoolYear,
      ));

    it("refuses another year's waiver", () =>
      assert.throws(
        () => assessHousehold(input({ waiver: { applicationId: 'app-0', schoolYear: '2024-2025', payPercent: 0 } })),
        WaiverIsForAnotherSchoolYear,
      ));

    it('refuses a place of a child not listed', () =>
      assert.throws(() => assessHousehold(input({ places: [place('p1', 'stranger')] })), InvalidAssessmentInput));

    it('refuses a negative number of cancelled lessons', () =>
      assert.throws(
        () => assessHousehold(input({ places: [place('p1', 'c1', { cancelledLessons: -1 })] })),
        InvalidAssessmentInput,
      ));

    it('refuses an impossible date', () =>
      assert.throws(
        () => assessHousehold(input({ places: [place('p1', 'c1', { startedOn: '2025-02-30' })] })),
        InvalidAssessmentInput,
      ));
  });
});
