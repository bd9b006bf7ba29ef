import { assertNever, without, type Decider } from '#libs/decider';
import { isDate, schoolYearOf, semesterOf, type Semester } from '#libs/calendar';
import {
  DateIsInvalid,
  OnePlacePerStudentPerOffering,
  PlaceAlreadyExists,
  PlaceNotFound,
  StudentHoldsTooManyPlaces,
  StudentIsPastEligibleAge,
  StudentNotFound,
} from './enrolment.errors.js';
import { enrolmentPolicies, isEligibleByAge, type EnrolmentPolicies } from './enrolment.policy.js';
import type { StudentCommand } from './student.commands.js';
import type { StudentEvent } from './student.events.js';
import { initialStudent, type Student } from './student.state.js';
import { movedOutLastDay } from './student-move-out.js';

/*
 * The student stream holds the rules that span offerings: places per student and age. Enrolling, the handler loads
 * the student and the offering, decides on both (nothing is written if either refuses), appends the student's
 * StudentPlaceTaken with its expected revision and then the offering's PlaceEnrolled with its own; if the offering
 * then refuses after a retry (it filled meanwhile), it appends GiveUpPlace to the student to compensate.
 * A transfer uses MovePlace, which keeps the count, so a student at the limit can still change offering.
 */

export const evolveStudent = (state: Student, event: StudentEvent): Student => {
  switch (event.type) {
    case 'StudentPlaceTaken': {
      const { studentId, birthYear, placeId, offeringId } = event.data;
      const places = state.status === 'Known' ? state.places : {};
      const district = state.status === 'Known' ? state.district : null;
      return { status: 'Known', studentId, birthYear, district, places: { ...places, [placeId]: offeringId } };
    }
    case 'StudentPlaceMoved':
      if (state.status !== 'Known') return state;
      return {
        ...state,
        places: { ...without(state.places, event.data.fromPlaceId), [event.data.placeId]: event.data.offeringId },
      };
    case 'StudentPlaceGivenUp':
      if (state.status !== 'Known') return state;
      return { ...state, places: without(state.places, event.data.placeId) };
    case 'StudentDistrictChanged': {
      if (state.status !== 'Known') return state;
      // A move into a district after a move out: the child lives here again.
      const { movedOut: _left, ...living } = state;
      const movedBackIn = state.movedOut !== undefined && event.data.effectiveOn >= state.movedOut.effectiveOn;
      return { ...(movedBackIn ? living : state), district: event.data.district };
    }
    case 'StudentMovedOut': {
      if (state.status !== 'Known') return state;
      const { effectiveOn, eligibleUntil } = event.data;
      return { ...state, movedOut: { effectiveOn, eligibleUntil } };
    }
    default:
      return assertNever(event);
  }
};

/** The semester a new place is judged in: today's, or the first of a coming school year's offering. */
const placeSemester = (now: string, schoolYear?: string): Semester => {
  const current = semesterOf(now);
  return schoolYear && schoolYear > current.schoolYear ? { schoolYear, term: 'autumn' } : current;
};

const requireNotInOffering = (places: Readonly<Record<string, string>>, studentId: string, offeringId: string) => {
  if (Object.values(places).includes(offeringId)) throw new OnePlacePerStudentPerOffering(studentId, offeringId);
};

export const createStudentDecider = (
  policies: EnrolmentPolicies = enrolmentPolicies(),
): Decider<StudentCommand, StudentEvent, Student> => ({
  initialState: initialStudent,
  evolve: evolveStudent,
  decide: (command, state) => {
    const { now } = command.metadata;
    switch (command.type) {
      case 'TakePlace': {
        const { studentId, birthYear, placeId, offeringId, schoolYear } = command.data;
        const semester = placeSemester(now, schoolYear);
        const policy = policies(semester.schoolYear);
        const places = state.status === 'Known' ? state.places : {};
        if (places[placeId]) throw new PlaceAlreadyExists(placeId);
        requireNotInOffering(places, studentId, offeringId);
        if (!isEligibleByAge(birthYear, semester, policy)) throw new StudentIsPastEligibleAge(studentId, birthYear);
        if (Object.keys(places).length >= policy.placesPerStudent) {
          throw new StudentHoldsTooManyPlaces(studentId, policy.placesPerStudent);
        }
        return [{ type: 'StudentPlaceTaken', data: { studentId, birthYear, placeId, offeringId, takenAt: now } }];
      }
      case 'MovePlace': {
        if (state.status !== 'Known') throw new StudentNotFound();
        const { fromPlaceId, placeId, offeringId } = command.data;
        if (!state.places[fromPlaceId]) throw new PlaceNotFound(fromPlaceId);
        if (state.places[placeId]) throw new PlaceAlreadyExists(placeId);
        requireNotInOffering(state.places, state.studentId, offeringId);
        const { studentId } = state;
        return [{ type: 'StudentPlaceMoved', data: { studentId, fromPlaceId, placeId, offeringId, movedAt: now } }];
      }
      case 'GiveUpPlace': {
        if (state.status !== 'Known') throw new StudentNotFound();
        const { placeId, endedWithItsOffering } = command.data;
        const offeringId = state.places[placeId];
        if (!offeringId) throw new PlaceNotFound(placeId);
        const data = { studentId: state.studentId, placeId, offeringId, givenUpAt: now };
        return [
          {
            type: 'StudentPlaceGivenUp',
            data: endedWithItsOffering ? { ...data, endedWithItsOffering: true as const } : data,
          },
        ];
      }
      case 'ChangeDistrict': {
        if (state.status !== 'Known') throw new StudentNotFound();
        const { district, effectiveOn } = command.data;
        if (!isDate(effectiveOn)) throw new DateIsInvalid('effectiveOn', effectiveOn);
        if (state.district === district) return [];
        const { studentId } = state;
        const previousDistrict = state.district;
        return [
          {
            type: 'StudentDistrictChanged',
            data: { studentId, previousDistrict, district, effectiveOn, changedAt: now },
          },
        ];
      }
      case 'MoveOut': {
        const { effectiveOn } = command.data;
        if (!isDate(effectiveOn)) throw new DateIsInvalid('effectiveOn', effectiveOn);
        const studentId = state.status === 'Known' ? state.studentId : command.data.studentId;
        // The same move reported again records nothing new.
        if (state.status === 'Known' && state.movedOut?.effectiveOn === effectiveOn) return [];
        const eligibleUntil = movedOutLastDay(effectiveOn, policies(schoolYearOf(effectiveOn)));
        const held = state.status === 'Known' ? Object.entries(state.places) : [];
        const places = held.map(([placeId, offeringId]) => ({ placeId, offeringId }));
        return [{ type: 'StudentMovedOut', data: { studentId, effectiveOn, eligibleUntil, places, recordedAt: now } }];
      }
      default:
        return assertNever(command);
    }
  },
});

export const studentDecider = createStudentDecider();
