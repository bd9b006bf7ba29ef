import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { withdrawalNotice, type PlaceWithdrawn } from '#libs/enrolment';
import { assessHousehold, fundingPolicyFor, nok, type Semester } from '../domain/index.js';
import {
  childrenOf,
  compareSemesters,
  householdInputFor,
  lastSemesterOwed,
  semesterOfDate,
  semestersOfPlace,
  storedOwedUpTo,
  toPlaceToAssess,
  waiverFor,
  type PlaceFacts,
  type WaiverFacts,
} from './household-assessment.js';

const autumn: Semester = { schoolYear: '2025-2026', term: 'autumn' };
const spring: Semester = { schoolYear: '2025-2026', term: 'spring' };
const nextAutumn: Semester = { schoolYear: '2026-2027', term: 'autumn' };

const place = (more: Partial<PlaceFacts> = {}): PlaceFacts => ({
  placeId: 'p1',
  offeringId: 'o1',
  childId: 'c1',
  birthYear: 2014,
  schoolYear: '2025-2026',
  feeOre: 210_500,
  startedOn: '2025-08-18',
  withdrawal: null,
  ...more,
});
const withdrawn = (effectiveOn: string, noticeOn: string, owedUpTo: Semester) =>
  place({ withdrawal: { effectiveOn, noticeOn, owedUpTo } });
const waiver = (more: Partial<WaiverFacts> = {}): WaiverFacts => ({
  applicationId: 'a1',
  schoolYear: '2025-2026',
  payPercent: 60,
  status: 'granted',
  revokedOn: null,
  ...more,
});

describe('household assessment input', () => {
  describe('semesters', () => {
    it('reads August to December as autumn and January to July as spring', () => {
      assert.deepEqual(semesterOfDate('2025-08-01'), autumn);
      assert.deepEqual(semesterOfDate('2026-07-31'), spring);
    });

    it("gives a place its offering year's two semesters", () =>
      assert.deepEqual(semestersOfPlace(place()), [autumn, spring]));

    it('adds the next semester after a late withdrawal', () =>
      assert.deepEqual(semestersOfPlace(withdrawn('2026-06-30', '2026-08-20', nextAutumn)), [
        autumn,
        spring,
        nextAutumn,
      ]));
  });

  describe('the fee of a place', () => {
    const priced = place({
      feeOre: 205_250,
      feeChanges: [
        { effectiveFrom: '2026-08-01', feePerSemesterOre: 220_000 },
        { effectiveFrom: '2026-01-01', feePerSemesterOre: 215_000 },
      ],
    });

    it('is the fee in force on each semester’s first day: the opening fee, then each change from its day', () =>
      assert.deepEqual(
        [autumn, spring, nextAutumn].map((semester) => toPlaceToAssess(priced, semester).offeringFee),
        [205_250, 215_000, 220_000],
      ));

    it('bills NOK 2,052.50 as a base fee line of 205250 øre', () => {
      const input = householdInputFor(autumn, [priced], []);
      const policy = fundingPolicyFor('2025-2026', { baseAmountG: nok(130_160) });
      const { lines } = assessHousehold({ ...input, semester: autumn, policy });
      assert.deepEqual(
        lines.map((l) => [l.kind, l.amount]),
        [['BaseFee', 205_250]],
      );
    });
  });

  describe('a withdrawn place', () => {
    const late = withdrawn('2025-12-31', '2025-12-18', spring);

    it('is held through the semesters before the one it ends in', () =>
      assert.equal(toPlaceToAssess(withdrawn('2026-03-31', '2026-03-01', spring), autumn).withdrawnOn, null));

    it('is given up in the semester it ends in once both the last day and the notice have come', () => {
      assert.equal(toPlaceToAssess(late, autumn).withdrawnOn, '2025-12-31');
      assert.equal(toPlaceToAssess(withdrawn('2025-08-05', '2025-08-11', autumn), autumn).withdrawnOn, '2025-08-11');
    });

    it('is withdrawn on the notice day after that, so the deadline rule decides the next semester', () =>
      assert.equal(toPlaceToAssess(late, spring).withdrawnOn, '2025-12-18'));

    it('reads a stored row from before it held the last semester owed', () => {
      assert.deepEqual(storedOwedUpTo(nextAutumn, '2026-06-30', false), spring, 'the next semester was not owed');
      assert.deepEqual(storedOwedUpTo(nextAutumn, '2026-06-30', true), nextAutumn);
      const springBefore: Semester = { schoolYear: '2024-2025', term: 'spring' };
      assert.deepEqual(storedOwedUpTo(springBefore, '2025-08-05', false), springBefore, 'a row that holds it');
    });

    it('counts in the next school year only when the withdrawal was late', () => {
      const lateInSpring = withdrawn('2026-06-30', '2026-08-20', nextAutumn);
      assert.equal(householdInputFor(nextAutumn, [lateInSpring], []).places.length, 1);
      const byDeadline = withdrawn('2026-06-30', '2026-05-01', spring);
      assert.equal(householdInputFor(nextAutumn, [byDeadline], []).places.length, 0);
    });
  });

  describe('billing a withdrawal by rule 7: notice by a deadline frees the semester, a place taught after it owes it', () => {
    const policyFor = (semester: Semester) => fundingPolicyFor(semester.schoolYear, { baseAmountG: nok(130_160) });
    // The event as enrolment records it now, and as it was recorded before it stated the last semester owed.
    const recorded = (effectiveOn: string, noticeOn: string): PlaceWithdrawn['data'] => ({
      ...{ offeringId: 'o1', placeId: 'p1', studentId: 'c1', effectiveOn, noticeOn },
      ...withdrawalNotice(effectiveOn, noticeOn),
    });
    const older = (effectiveOn: string, noticeOn: string): PlaceWithdrawn['data'] => {
      const { lastSemesterOwed: _, ...before } = recorded(effectiveOn, noticeOn);
      return before;
    };
    const placeWithdrawn = (event: PlaceWithdrawn['data']) =>
      place({
        startedOn: '2025-06-01',
        withdrawal: { effectiveOn: event.effectiveOn, noticeOn: event.noticeOn, owedUpTo: lastSemesterOwed(event) },
      });
    const bill = (event: PlaceWithdrawn['data'], semester: Semester) => {
      const withdrawnPlace = placeWithdrawn(event);
      if (!semestersOfPlace(withdrawnPlace).some((own) => compareSemesters(own, semester) === 0)) return 'not a place';
      const input = householdInputFor(semester, [withdrawnPlace], []);
      const assessed = assessHousehold({ semester, policy: policyFor(semester), ...input });
      return assessed.notBilled[0]?.reason ?? assessed.lines.map((line) => line.kind).join();
    };

    it.each([
      ['2025-08-05', '2025-08-05', 'WithdrawnByDeadline', 'WithdrawnByDeadline'],
      ['2025-08-05', '2025-07-31', 'WithdrawnByDeadline', 'WithdrawnByDeadline'],
      ['2025-08-11', '2025-08-05', 'BaseFee', 'WithdrawnByDeadline'],
      ['2025-08-11', '2025-07-31', 'BaseFee', 'WithdrawnByDeadline'],
      ['2025-08-01', '2025-08-20', 'BaseFee', 'WithdrawnByDeadline'],
      ['2025-12-10', '2025-12-31', 'BaseFee', 'WithdrawnByDeadline'],
      ['2025-12-11', '2025-12-31', 'BaseFee', 'LateWithdrawalCharge'],
      ['2025-12-11', '2025-12-20', 'BaseFee', 'LateWithdrawalCharge'],
    ])('notice on %s, last day %s: autumn %s, spring %s', (noticeOn, effectiveOn, inAutumn, inSpring) => {
      for (const event of [recorded(effectiveOn, noticeOn), older(effectiveOn, noticeOn)]) {
        assert.deepEqual([bill(event, autumn), bill(event, spring)], [inAutumn, inSpring]);
      }
    });

    it('after a place ends with its year, owes the next autumn only for notice after 10 August', () => {
      assert.equal(bill(recorded('2026-06-30', '2026-08-10'), nextAutumn), 'not a place');
      assert.equal(bill(recorded('2026-06-30', '2026-08-11'), nextAutumn), 'BaseFee');
      assert.equal(bill(older('2026-06-30', '2026-08-11'), nextAutumn), 'BaseFee');
    });

    const day = fc
      .date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-07-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const owedBy = (event: PlaceWithdrawn['data'], semester: Semester) =>
      compareSemesters(semester, lastSemesterOwed(recorded(event.effectiveOn, event.noticeOn))) <= 0;
    const billed = (event: PlaceWithdrawn['data'], semester: Semester) =>
      ['BaseFee', 'LateWithdrawalCharge'].includes(bill(event, semester));
    const semesters: Semester[] = [
      autumn,
      spring,
      nextAutumn,
      { schoolYear: '2026-2027', term: 'spring' },
      { schoolYear: '2027-2028', term: 'autumn' },
    ];

    it('bills exactly the semesters enrolment says are owed', () =>
      fc.assert(
        fc.property(day, day, (effectiveOn, noticeOn) => {
          const event = recorded(effectiveOn, noticeOn);
          for (const semester of semesters)
            assert.equal(billed(event, semester), owedBy(event, semester), semester.term);
        }),
      ));

    it('bills an older event by the same rule in its own school year', () =>
      fc.assert(
        fc.property(day, day, (effectiveOn, noticeOn) => {
          const event = older(effectiveOn, noticeOn);
          for (const semester of [autumn, spring]) assert.equal(billed(event, semester), owedBy(event, semester));
        }),
      ));
  });

  describe('waivers', () => {
    it('covers the semesters of its own school year only', () => {
      assert.deepEqual(waiverFor(autumn, [waiver()]), { applicationId: 'a1', schoolYear: '2025-2026', payPercent: 60 });
      assert.equal(waiverFor(nextAutumn, [waiver()]), null);
    });

    it('stops covering the semesters not yet over when it was revoked', () => {
      const revoked = waiver({ status: 'revoked', revokedOn: '2026-03-01' });
      assert.notEqual(waiverFor(autumn, [revoked]), null);
      assert.equal(waiverFor(spring, [revoked]), null);
    });

    it('still covers its year once expired', () =>
      assert.notEqual(waiverFor(spring, [waiver({ status: 'expired' })]), null));

    it('gives the household the better of two', () =>
      assert.equal(waiverFor(autumn, [waiver(), waiver({ applicationId: 'a2', payPercent: 0 })])?.applicationId, 'a2'));
  });

  it('orders siblings by birth year from the places they hold, each child once', () =>
    assert.deepEqual(
      childrenOf([
        place({ placeId: 'p1', childId: 'young', birthYear: 2016 }),
        place({ placeId: 'p2', childId: 'old', birthYear: 2011 }),
        place({ placeId: 'p3', childId: 'young', birthYear: 2016 }),
      ]),
      [
        { childId: 'young', birthDate: '2016-01-01' },
        { childId: 'old', birthDate: '2011-01-01' },
      ],
    ));
});
