import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { Semester } from '../domain/index.js';
import {
  childrenOf,
  householdInputFor,
  semesterOfDate,
  semestersOfPlace,
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
const withdrawn = (effectiveOn: string, noticeOn: string, afterDeadline: boolean, next: Semester) =>
  place({ withdrawal: { effectiveOn, noticeOn, afterDeadline, next } });
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
      assert.deepEqual(semestersOfPlace(withdrawn('2026-06-30', '2026-08-20', true, nextAutumn)), [
        autumn,
        spring,
        nextAutumn,
      ]));
  });

  describe('a withdrawn place', () => {
    const late = withdrawn('2025-12-31', '2025-12-18', true, spring);

    it('is still held in the semester it ends in', () => assert.equal(toPlaceToAssess(late, autumn).withdrawnOn, null));

    it('is withdrawn on the notice day after that, so the deadline rule decides the next semester', () =>
      assert.equal(toPlaceToAssess(late, spring).withdrawnOn, '2025-12-18'));

    it('counts in the next school year only when the withdrawal was late', () => {
      const lateInSpring = withdrawn('2026-06-30', '2026-08-20', true, nextAutumn);
      assert.equal(householdInputFor(nextAutumn, [lateInSpring], []).places.length, 1);
      const byDeadline = withdrawn('2026-06-30', '2026-05-01', false, nextAutumn);
      assert.equal(householdInputFor(nextAutumn, [byDeadline], []).places.length, 0);
    });
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
