import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { nextSemester, semesterOf } from '#libs/calendar';
import {
  enrolmentPolicies,
  enrolmentPolicyFor,
  isEligibleByAge,
  trondheimEnrolmentPolicy,
  withdrawalDeadline,
} from './enrolment.policy.js';

describe('enrolment policy', () => {
  it('defaults to Trondheim: two places, eligible to 20, deadlines 10 Aug and 10 Dec', () => {
    const policy = enrolmentPolicyFor('2025-2026');
    assert.equal(policy.placesPerStudent, 2);
    assert.equal(policy.eligibleUntilAge, 20);
    assert.deepEqual(policy.withdrawalDeadlines, { autumn: { month: 8, day: 10 }, spring: { month: 12, day: 10 } });
  });

  it('picks the policy of the school year a date or an instant falls in', () => {
    const policies = enrolmentPolicies({ '2026-2027': { placesPerStudent: 3 } });
    assert.equal(enrolmentPolicyFor('2026-08-01', policies).placesPerStudent, 3);
    assert.equal(enrolmentPolicyFor('2026-07-31', policies).placesPerStudent, 2);
    assert.equal(enrolmentPolicyFor('2027-03-01T10:00:00Z', policies).placesPerStudent, 3);
    assert.equal(enrolmentPolicyFor('2026-2027', policies).placesPerStudent, 3);
  });

  it('puts autumn in August to December and spring in January to July', () => {
    assert.deepEqual(semesterOf('2025-08-01'), { schoolYear: '2025-2026', term: 'autumn' });
    assert.deepEqual(semesterOf('2026-06-15'), { schoolYear: '2025-2026', term: 'spring' });
    assert.deepEqual(nextSemester({ schoolYear: '2025-2026', term: 'spring' }), {
      schoolYear: '2026-2027',
      term: 'autumn',
    });
    assert.deepEqual(nextSemester({ schoolYear: '2025-2026', term: 'autumn' }), {
      schoolYear: '2025-2026',
      term: 'spring',
    });
  });

  it('sets the spring deadline in December before the spring starts', () => {
    assert.equal(
      withdrawalDeadline({ schoolYear: '2025-2026', term: 'spring' }, trondheimEnrolmentPolicy),
      '2025-12-10',
    );
    assert.equal(
      withdrawalDeadline({ schoolYear: '2025-2026', term: 'autumn' }, trondheimEnrolmentPolicy),
      '2025-08-10',
    );
  });

  it('keeps a student eligible up to and including the autumn of the year it turns 20', () => {
    assert.equal(isEligibleByAge(2005, { schoolYear: '2025-2026', term: 'autumn' }, trondheimEnrolmentPolicy), true);
    assert.equal(isEligibleByAge(2005, { schoolYear: '2025-2026', term: 'spring' }, trondheimEnrolmentPolicy), false);
    assert.equal(isEligibleByAge(2006, { schoolYear: '2025-2026', term: 'spring' }, trondheimEnrolmentPolicy), true);
  });
});
