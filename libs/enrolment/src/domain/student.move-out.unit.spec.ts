import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import { enrolmentPolicies, trondheimEnrolmentPolicy } from './enrolment.policy.js';
import type { StudentCommand } from './student.commands.js';
import { createStudentDecider, studentDecider } from './student.decider.js';
import type { StudentEvent } from './student.events.js';
import { checkMovedOutRule, movedOutLastDay } from './student-move-out.js';

const given = DeciderSpecification.for(studentDecider);
const givenPolicy = (overrides: Parameters<typeof enrolmentPolicies>[0]) =>
  DeciderSpecification.for(createStudentDecider(enrolmentPolicies(overrides)));
const NOW = '2025-10-20T10:00:00.000Z';
const studentId = 'student-1';

const taken = (placeId: string, offeringId: string): StudentEvent => ({
  type: 'StudentPlaceTaken',
  data: { studentId, birthYear: 2012, placeId, offeringId, takenAt: '2025-08-20T10:00:00.000Z' },
});
const moveOut = (effectiveOn = '2025-10-15'): StudentCommand => ({
  type: 'MoveOut',
  data: { studentId, effectiveOn },
  metadata: { now: NOW },
});
const movedOut = (
  eligibleUntil: string,
  places: { placeId: string; offeringId: string }[],
  effectiveOn = '2025-10-15',
): StudentEvent => ({
  type: 'StudentMovedOut',
  data: { studentId, effectiveOn, eligibleUntil, places, recordedAt: NOW },
});

describe('student decider: a move out of the municipality (rule 1)', () => {
  it('keeps a student eligible to the end of the semester of the move in Trondheim, naming the places that end', () =>
    given([taken('p1', 'piano'), taken('p2', 'drama')])
      .when(moveOut())
      .then([
        movedOut('2025-12-31', [
          { placeId: 'p1', offeringId: 'piano' },
          { placeId: 'p2', offeringId: 'drama' },
        ]),
      ]));

  it('ends eligibility with the school year where the policy says so', () =>
    givenPolicy({ '2025-2026': { movedOutEligibleUntil: 'endOfSchoolYear' } })([taken('p1', 'piano')])
      .when(moveOut())
      .then([movedOut('2026-07-31', [{ placeId: 'p1', offeringId: 'piano' }])]));

  it('ends eligibility the day before the move where the policy says immediately', () =>
    givenPolicy({ '2025-2026': { movedOutEligibleUntil: 'immediately' } })([taken('p1', 'piano')])
      .when(moveOut())
      .then([movedOut('2025-10-14', [{ placeId: 'p1', offeringId: 'piano' }])]));

  it('records the move of a child with no place yet, so its applications end', () =>
    given([])
      .when(moveOut())
      .then([movedOut('2025-12-31', [])]));

  it('records the same move reported again only once', () =>
    given([taken('p1', 'piano'), movedOut('2025-12-31', [{ placeId: 'p1', offeringId: 'piano' }])])
      .when(moveOut())
      .then([]));

  it('leaves out a place already given up', () =>
    given([
      taken('p1', 'piano'),
      taken('p2', 'drama'),
      { type: 'StudentPlaceGivenUp', data: { studentId, placeId: 'p2', offeringId: 'drama', givenUpAt: NOW } },
    ])
      .when(moveOut())
      .then([movedOut('2025-12-31', [{ placeId: 'p1', offeringId: 'piano' }])]));

  it('refuses a move day that is not a date', () =>
    given([taken('p1', 'piano')])
      .when(moveOut('15.10.2025'))
      .thenThrows(refusals.DateIsInvalid));
});

describe('the last eligible day after a move out', () => {
  const policy = (movedOutEligibleUntil: typeof trondheimEnrolmentPolicy.movedOutEligibleUntil) => ({
    movedOutEligibleUntil,
  });

  it('is 31 December for a move in the autumn semester and 31 July for one in the spring', () => {
    assert.equal(movedOutLastDay('2025-08-01', trondheimEnrolmentPolicy), '2025-12-31');
    assert.equal(movedOutLastDay('2026-01-01', trondheimEnrolmentPolicy), '2026-07-31');
    assert.equal(movedOutLastDay('2026-07-31', trondheimEnrolmentPolicy), '2026-07-31');
  });

  it('is a rule a municipality sets from three choices', () => {
    assert.equal(checkMovedOutRule({ movedOutEligibleUntil: 'endOfSchoolYear' }), undefined);
    assert.equal(checkMovedOutRule({ placesPerStudent: 3 }), undefined);
    assert.equal(checkMovedOutRule({ movedOutEligibleUntil: 'nextWeek' })?.rule, 'movedOutEligibleUntil');
  });

  it('is the end of the school year of the move, or the day before the move', () => {
    assert.equal(movedOutLastDay('2025-09-10', policy('endOfSchoolYear')), '2026-07-31');
    assert.equal(movedOutLastDay('2026-03-01', policy('immediately')), '2026-02-28');
  });
});
