import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import { enrolmentPolicies } from './enrolment.policy.js';
import type { StudentCommand } from './student.commands.js';
import { createStudentDecider, studentDecider } from './student.decider.js';
import type { StudentEvent } from './student.events.js';

const given = DeciderSpecification.for(studentDecider);
const givenPolicy = (overrides: Parameters<typeof enrolmentPolicies>[0]) =>
  DeciderSpecification.for(createStudentDecider(enrolmentPolicies(overrides)));
const NOW = '2025-09-01T10:00:00.000Z';
const studentId = 'student-1';
const command = (c: StudentCommand): StudentCommand => c;

const take = (placeId: string, offeringId: string, birthYear = 2012, now = NOW) =>
  command({ type: 'TakePlace', data: { studentId, birthYear, placeId, offeringId }, metadata: { now } });
const taken = (placeId: string, offeringId: string, birthYear = 2012, takenAt = NOW): StudentEvent => ({
  type: 'StudentPlaceTaken',
  data: { studentId, birthYear, placeId, offeringId, takenAt },
});

const movePlace = (fromPlaceId: string, placeId: string, offeringId: string) =>
  command({ type: 'MovePlace', data: { fromPlaceId, placeId, offeringId }, metadata: { now: NOW } });
const giveUp = (placeId: string) => command({ type: 'GiveUpPlace', data: { placeId }, metadata: { now: NOW } });
const givenUp = (placeId: string, offeringId: string): StudentEvent => ({
  type: 'StudentPlaceGivenUp',
  data: { studentId, placeId, offeringId, givenUpAt: NOW },
});

describe('student decider', () => {
  describe('a new student', () => {
    it('takes a first place', () =>
      given([])
        .when(take('p1', 'piano'))
        .then([taken('p1', 'piano')]));

    it('is eligible in the autumn of the year it turns 20', () =>
      given([])
        .when(take('p1', 'piano', 2005, '2025-12-01T10:00:00.000Z'))
        .then([taken('p1', 'piano', 2005, '2025-12-01T10:00:00.000Z')]));

    it('is not eligible in the spring after it turned 20', () =>
      given([])
        .when(take('p1', 'piano', 2005, '2026-01-15T10:00:00.000Z'))
        .thenThrows(refusals.StudentIsPastEligibleAge));

    it('follows a school year’s own age limit', () =>
      givenPolicy({ '2025-2026': { eligibleUntilAge: 19 } })([])
        .when(take('p1', 'piano', 2005, '2025-12-01T10:00:00.000Z'))
        .thenThrows(refusals.StudentIsPastEligibleAge));

    it('cannot move a place it does not have', () =>
      given([])
        .when(movePlace('p1', 'p2', 'x'))
        .thenThrows(refusals.StudentNotFound));

    it('cannot give up a place it does not have', () =>
      given([]).when(giveUp('p1')).thenThrows(refusals.StudentNotFound));
  });

  describe('a student with one place', () => {
    it('takes a second place in another offering', () =>
      given([taken('p1', 'piano')])
        .when(take('p2', 'dance'))
        .then([taken('p2', 'dance')]));

    it('cannot take a second place in the same offering', () =>
      given([taken('p1', 'piano')])
        .when(take('p2', 'piano'))
        .thenThrows(refusals.OnePlacePerStudentPerOffering));

    it('cannot reuse a place id', () =>
      given([taken('p1', 'piano')])
        .when(take('p1', 'dance'))
        .thenThrows(refusals.PlaceAlreadyExists));

    it('gives a place up', () =>
      given([taken('p1', 'piano')])
        .when(giveUp('p1'))
        .then([givenUp('p1', 'piano')]));

    it('records a place the school ended with its offering as such, not as given up by the family (F5)', () =>
      given([taken('p1', 'piano')])
        .when(
          command({
            type: 'GiveUpPlace',
            data: { placeId: 'p1', endedWithItsOffering: true },
            metadata: { now: NOW },
          }),
        )
        .then([
          {
            type: 'StudentPlaceGivenUp',
            data: { studentId, placeId: 'p1', offeringId: 'piano', givenUpAt: NOW, endedWithItsOffering: true },
          },
        ]));

    it('cannot give up a place it does not hold', () =>
      given([taken('p1', 'piano')])
        .when(giveUp('p9'))
        .thenThrows(refusals.PlaceNotFound));
  });

  describe('a student at the limit of two places', () => {
    const atLimit = [taken('p1', 'piano'), taken('p2', 'dance')];

    it('cannot take a third place', () =>
      given(atLimit).when(take('p3', 'theatre')).thenThrows(refusals.StudentHoldsTooManyPlaces));

    it('may take a third where the school year allows three', () =>
      givenPolicy({ '2025-2026': { placesPerStudent: 3 } })(atLimit)
        .when(take('p3', 'theatre'))
        .then([taken('p3', 'theatre')]));

    // Defect 7: a place in a coming school year's offering is judged by that year's rules, not by today's.
    it('may take a third for a coming school year that allows three, though today’s allows two', () =>
      givenPolicy({ '2026-2027': { placesPerStudent: 3 } })(atLimit)
        .when(
          command({
            type: 'TakePlace',
            data: { studentId, birthYear: 2012, placeId: 'p3', offeringId: 'theatre', schoolYear: '2026-2027' },
            metadata: { now: '2026-06-15T08:00:00.000Z' },
          }),
        )
        .then([taken('p3', 'theatre', 2012, '2026-06-15T08:00:00.000Z')]));

    it('cannot take a third for a coming school year that allows two, though today’s allows three', () =>
      givenPolicy({ '2025-2026': { placesPerStudent: 3 } })(atLimit)
        .when(
          command({
            type: 'TakePlace',
            data: { studentId, birthYear: 2012, placeId: 'p3', offeringId: 'theatre', schoolYear: '2026-2027' },
            metadata: { now: '2026-06-15T08:00:00.000Z' },
          }),
        )
        .thenThrows(refusals.StudentHoldsTooManyPlaces));

    it('takes a place again after giving one up', () =>
      given([...atLimit, givenUp('p1', 'piano')])
        .when(take('p3', 'theatre'))
        .then([taken('p3', 'theatre')]));

    it('may still transfer: a move keeps the count', () =>
      given(atLimit)
        .when(movePlace('p1', 'p3', 'piano-ranheim'))
        .then([
          {
            type: 'StudentPlaceMoved',
            data: { studentId, fromPlaceId: 'p1', placeId: 'p3', offeringId: 'piano-ranheim', movedAt: NOW },
          },
        ]));

    it('cannot move into an offering it already has a place in', () =>
      given(atLimit)
        .when(movePlace('p1', 'p3', 'dance'))
        .thenThrows(refusals.OnePlacePerStudentPerOffering));

    it('cannot move a place it does not hold', () =>
      given(atLimit)
        .when(movePlace('p9', 'p3', 'x'))
        .thenThrows(refusals.PlaceNotFound));
  });
});

describe('student decider: a move reported by the population register', () => {
  const move = (district: 'Heimdal' | 'Klæbu', effectiveOn = '2025-10-01') =>
    command({ type: 'ChangeDistrict', data: { district, effectiveOn }, metadata: { now: NOW } });
  const moved = (previousDistrict: 'Heimdal' | null, district: 'Heimdal' | 'Klæbu'): StudentEvent => ({
    type: 'StudentDistrictChanged',
    data: { studentId, previousDistrict, district, effectiveOn: '2025-10-01', changedAt: NOW },
  });

  it('records the new district of a known student', () =>
    given([taken('p1', 'piano')])
      .when(move('Heimdal'))
      .then([moved(null, 'Heimdal')]));

  it('records where the student moved from once the district is known', () =>
    given([taken('p1', 'piano'), moved(null, 'Heimdal')])
      .when(move('Klæbu'))
      .then([moved('Heimdal', 'Klæbu')]));

  it('records nothing when the district did not change (a redelivered message)', () =>
    given([taken('p1', 'piano'), moved(null, 'Heimdal')])
      .when(move('Heimdal'))
      .then([]));

  it('refuses a move of someone who is not a student', () =>
    given([]).when(move('Heimdal')).thenThrows(refusals.StudentNotFound));

  it('refuses a malformed effective date', () =>
    given([taken('p1', 'piano')])
      .when(move('Heimdal', '1.10.2025'))
      .thenThrows(refusals.DateIsInvalid));
});
