import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { fold } from '#libs/decider';
import { compareSemesters, nextSemester, previousSemester, semesterOf, type Semester } from '#libs/calendar';
import { enrolmentPolicies, trondheimEnrolmentPolicy, withdrawalDeadline } from './enrolment.policy.js';
import { createOfferingDecider, offeringDecider } from './offering.decider.js';
import type { OfferingEvent, PlaceWithdrawn } from './offering.events.js';
import { withdrawalNotice } from './withdrawal-notice.js';

const autumn = (first: number): Semester => ({ schoolYear: `${first}-${first + 1}`, term: 'autumn' });
const spring = (first: number): Semester => ({ schoolYear: `${first}-${first + 1}`, term: 'spring' });

// given an open offering of 2025-2026 with one place, when the place is withdrawn, then the fee fields of the event.
const offeringId = 'offering-piano-byasen';
const given: OfferingEvent[] = [
  {
    type: 'OfferingOpened',
    data: {
      ...{ offeringId, capacity: 2, subject: 'Piano', subjectGroup: 'music', programme: 'core', location: 'Byåsen' },
      ...{ district: 'Lerkendal', form: 'individual', feePerSemesterNok: 2105, schoolYear: '2025-2026' },
      openedAt: '2025-05-01T10:00:00.000Z',
    },
  },
  {
    type: 'PlaceEnrolled',
    data: {
      ...{ offeringId, placeId: 'place-1', studentId: 'student-1', birthYear: 2014, gender: 'female' },
      ...{ district: 'Heimdal', school: 'Sjetne skole', subjectGroup: 'music', programme: 'core' },
      ...{ enrolledAt: '2025-06-01T10:00:00.000Z', viaOfferId: null, transferredFrom: null },
    },
  },
];
const whenWithdrawn = (now: string, effectiveOn: string, decider = offeringDecider) => {
  const events = decider.decide(
    { type: 'Withdraw', data: { placeId: 'place-1', effectiveOn }, metadata: { now } },
    fold(decider, given),
  );
  const withdrawn = events.find((e): e is PlaceWithdrawn => e.type === 'PlaceWithdrawn');
  assert.ok(withdrawn, 'a PlaceWithdrawn event');
  const { noticeOn, nextSemester, deadline, afterDeadline, lastSemesterOwed } = withdrawn.data;
  return { noticeOn, nextSemester, deadline, afterDeadline, lastSemesterOwed };
};
const owes = (lastSemesterOwed: Semester | undefined, semester: Semester): boolean =>
  lastSemesterOwed !== undefined && compareSemesters(semester, lastSemesterOwed) <= 0;

describe('withdrawal notice (rule 7): what a withdrawal leaves owing', () => {
  describe('the offering decider records it on PlaceWithdrawn', () => {
    it('notice on 5 August with 5 August as the last day: autumn is not owed', () => {
      const then = whenWithdrawn('2025-08-05T10:00:00.000Z', '2025-08-05');
      assert.deepEqual(then, {
        noticeOn: '2025-08-05',
        nextSemester: spring(2025),
        deadline: '2025-12-10',
        afterDeadline: false,
        lastSemesterOwed: spring(2024),
      });
      assert.equal(owes(then.lastSemesterOwed, autumn(2025)), false);
    });

    it('notice on 5 August with 31 July as the last day: autumn is not owed', () =>
      assert.deepEqual(whenWithdrawn('2025-08-05T10:00:00.000Z', '2025-07-31'), {
        noticeOn: '2025-08-05',
        nextSemester: autumn(2025),
        deadline: '2025-08-10',
        afterDeadline: false,
        lastSemesterOwed: spring(2024),
      }));

    it.each(['2025-07-31', '2025-08-05', '2025-08-11', '2025-09-30'])(
      'notice on 11 August owes the autumn (last day %s), and not the spring',
      (effectiveOn) => {
        const then = whenWithdrawn('2025-08-11T10:00:00.000Z', effectiveOn);
        assert.deepEqual(then.lastSemesterOwed, autumn(2025));
        assert.equal(then.afterDeadline, effectiveOn === '2025-07-31', 'the semester after the last day’s');
      },
    );

    it('notice late in the evening of 10 August, UTC, is given on 11 August in Oslo', () =>
      assert.deepEqual(whenWithdrawn('2025-08-10T22:30:00.000Z', '2025-08-10').lastSemesterOwed, autumn(2025)));

    it('a place active after the autumn deadline owes the autumn though notice came before it', () =>
      assert.deepEqual(whenWithdrawn('2025-08-01T10:00:00.000Z', '2025-08-20').lastSemesterOwed, autumn(2025)));

    it('notice on 10 December owes the autumn the place ends in, not the spring', () =>
      assert.deepEqual(whenWithdrawn('2025-12-10T12:00:00.000Z', '2025-12-31'), {
        noticeOn: '2025-12-10',
        nextSemester: spring(2025),
        deadline: '2025-12-10',
        afterDeadline: false,
        lastSemesterOwed: autumn(2025),
      }));

    it('notice on 11 December owes the spring too', () =>
      assert.deepEqual(whenWithdrawn('2025-12-11T12:00:00.000Z', '2025-12-31'), {
        noticeOn: '2025-12-11',
        nextSemester: spring(2025),
        deadline: '2025-12-10',
        afterDeadline: true,
        lastSemesterOwed: spring(2025),
      }));

    it('a notice backdated past two deadlines owes both semesters', () =>
      assert.deepEqual(whenWithdrawn('2026-01-15T12:00:00.000Z', '2025-07-31').lastSemesterOwed, spring(2025)));

    it('follows a school year’s own deadline', () => {
      const own = createOfferingDecider(
        enrolmentPolicies({
          '2025-2026': { withdrawalDeadlines: { autumn: { month: 8, day: 20 }, spring: { month: 12, day: 1 } } },
        }),
      );
      assert.deepEqual(whenWithdrawn('2025-08-15T10:00:00.000Z', '2025-08-15', own).lastSemesterOwed, spring(2024));
      assert.deepEqual(whenWithdrawn('2025-12-02T10:00:00.000Z', '2025-12-31', own).lastSemesterOwed, spring(2025));
    });
  });

  describe('properties', () => {
    const day = fc
      .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const deadlineOf = (semester: Semester) => withdrawalDeadline(semester, trondheimEnrolmentPolicy);
    const around = (a: Semester, b: Semester): Semester[] => {
      let semester = previousSemester(previousSemester(compareSemesters(a, b) < 0 ? a : b));
      const last = nextSemester(nextSemester(compareSemesters(a, b) < 0 ? b : a));
      const semesters: Semester[] = [];
      for (; compareSemesters(semester, last) <= 0; semester = nextSemester(semester)) semesters.push(semester);
      return semesters;
    };

    it('owes a semester exactly when notice came after its deadline or the place was active after it', () =>
      fc.assert(
        fc.property(day, day, (effectiveOn, noticeOn) => {
          const { lastSemesterOwed } = withdrawalNotice(effectiveOn, noticeOn);
          for (const semester of around(semesterOf(effectiveOn), semesterOf(noticeOn))) {
            const deadline = deadlineOf(semester);
            const activeAfterDeadline =
              compareSemesters(semester, semesterOf(effectiveOn)) <= 0 && effectiveOn > deadline;
            assert.equal(
              owes(lastSemesterOwed, semester),
              noticeOn > deadline || activeAfterDeadline,
              `${semester.schoolYear}/${semester.term} (deadline ${deadline})`,
            );
          }
        }),
      ));

    it('keeps afterDeadline meaning: the semester after the last day’s is owed', () =>
      fc.assert(
        fc.property(day, day, (effectiveOn, noticeOn) => {
          const notice = withdrawalNotice(effectiveOn, noticeOn);
          assert.deepEqual(notice.nextSemester, nextSemester(semesterOf(effectiveOn)));
          assert.equal(notice.afterDeadline, owes(notice.lastSemesterOwed, notice.nextSemester));
        }),
      ));
  });
});
