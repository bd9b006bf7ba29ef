import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { isDate, nextSemester, osloDate, schoolYearOf, semesterOf } from './index.js';

describe('the kulturskole calendar', () => {
  it('reads instants as Oslo calendar days', () => {
    assert.equal(osloDate('2025-07-31T22:30:00Z'), '2025-08-01', 'half past midnight in Oslo, summer time');
    assert.equal(osloDate('2025-12-31T23:30:00Z'), '2026-01-01', 'winter time');
    assert.equal(osloDate('2025-03-01'), '2025-03-01');
  });

  it('starts the school year and the autumn semester in August (Oslo time)', () => {
    assert.equal(schoolYearOf('2025-07-31T21:59:59Z'), '2024-2025');
    assert.equal(schoolYearOf('2025-07-31T22:00:00Z'), '2025-2026');
    assert.deepEqual(semesterOf('2026-03-01'), { schoolYear: '2025-2026', term: 'spring' });
    assert.deepEqual(nextSemester({ schoolYear: '2025-2026', term: 'spring' }), {
      schoolYear: '2026-2027',
      term: 'autumn',
    });
  });

  it('knows real dates from look-alikes', () => {
    assert.equal(isDate('2025-02-28'), true);
    assert.equal(isDate('2025-02-30'), false);
    assert.equal(isDate('01.03.2025'), false);
  });
});
