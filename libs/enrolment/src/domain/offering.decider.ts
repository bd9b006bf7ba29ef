import { assertNever, without, type Decider } from '#libs/decider';
import { isDate, isSchoolYear, nextSemester, osloDate, semesterOf } from '#libs/calendar';
import {
  CapacityCannotDropBelowPlacesHeld,
  CapacityIsInvalid,
  DateIsInvalid,
  OfferingAlreadyExists,
  OfferingIsClosed,
  OfferingIsFull,
  OfferingIsInvalid,
  OfferingNotFound,
  OnePlacePerStudentPerOffering,
  PlaceAlreadyExists,
  PlaceIsAlreadyOnLeave,
  PlaceIsNotOnLeave,
  PlaceNotFound,
  TransferNeedsAnotherOffering,
} from './enrolment.errors.js';
import { enrolmentPolicies, withdrawalDeadline, type EnrolmentPolicies } from './enrolment.policy.js';
import type { OfferingCommand } from './offering.commands.js';
import type { OfferingEvent, SeatsReleased } from './offering.events.js';
import {
  freeSeats,
  initialOffering,
  placesHeld,
  type ExistingOffering,
  type Offering,
  type Place,
} from './offering.state.js';

const withPlace = (offering: ExistingOffering, place: Place): ExistingOffering => ({
  ...offering,
  places: { ...offering.places, [place.placeId]: place },
});

export const evolve = (state: Offering, event: OfferingEvent): Offering => {
  if (event.type === 'OfferingOpened') {
    const { offeringId, capacity, subject, subjectGroup, programme, location, district, form } = event.data;
    const { feePerSemesterNok, schoolYear } = event.data;
    const details = { subject, subjectGroup, programme, location, district, form, feePerSemesterNok, schoolYear };
    return { status: 'Open', offeringId, capacity, details, places: {} };
  }
  if (state.status === 'NotOpened') return state;
  switch (event.type) {
    case 'CapacityChanged':
      return { ...state, capacity: event.data.capacity };
    case 'OfferingClosed':
      return { ...state, status: 'Closed' };
    case 'PlaceEnrolled':
      return withPlace(state, { placeId: event.data.placeId, studentId: event.data.studentId, status: 'Active' });
    case 'PlacePutOnLeave':
    case 'PlaceReturnedFromLeave': {
      const place = state.places[event.data.placeId];
      if (!place) return state;
      return withPlace(state, { ...place, status: event.type === 'PlacePutOnLeave' ? 'OnLeave' : 'Active' });
    }
    case 'PlaceTransferredOut':
    case 'PlaceWithdrawn':
      return { ...state, places: without(state.places, event.data.placeId) };
    case 'SeatsReleased':
      return state;
    case 'LessonsCancelledBySchool': {
      const key = `${event.data.schoolYear}/${event.data.term}`;
      return { ...state, cancelled: { ...state.cancelled, [key]: event.data.cancelledLessons } };
    }
    default:
      return assertNever(event);
  }
};

const requireDate = (field: string, value: string): void => {
  if (!isDate(value)) throw new DateIsInvalid(field, value);
};

const requireCapacity = (capacity: number): void => {
  if (!Number.isInteger(capacity) || capacity < 1) throw new CapacityIsInvalid(capacity);
};

const findPlace = (state: ExistingOffering, placeId: string): Place => {
  const place = state.places[placeId];
  if (!place) throw new PlaceNotFound(placeId);
  return place;
};

/** A seat set free while the offering is open goes to the waitlist; a closed offering fills no seats. */
const released = (
  state: ExistingOffering,
  count: number,
  reason: SeatsReleased['data']['reason'],
  releasedAt: string,
): OfferingEvent[] =>
  state.status === 'Open'
    ? [
        {
          type: 'SeatsReleased',
          data: { offeringId: state.offeringId, count, freeSeats: freeSeats(state) + count, reason, releasedAt },
        },
      ]
    : [];

// Transfer is two facts in two streams: the handler enrols the student in the target first (which may refuse),
// then records PlaceTransferredOut here, so a refused transfer leaves the student where it was.
export const createOfferingDecider = (
  policies: EnrolmentPolicies = enrolmentPolicies(),
): Decider<OfferingCommand, OfferingEvent, Offering> => {
  const decideExisting = (
    command: Exclude<OfferingCommand, { type: 'OpenOffering' }>,
    state: ExistingOffering,
  ): OfferingEvent[] => {
    const { offeringId } = state;
    const { now } = command.metadata;
    switch (command.type) {
      case 'ChangeCapacity': {
        const { capacity } = command.data;
        requireCapacity(capacity);
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        if (capacity < placesHeld(state)) throw new CapacityCannotDropBelowPlacesHeld(capacity, placesHeld(state));
        if (capacity === state.capacity) return [];
        const changed: OfferingEvent = {
          type: 'CapacityChanged',
          data: { offeringId, previousCapacity: state.capacity, capacity, changedAt: now },
        };
        // A raised capacity frees seats for the waitlist just as a withdrawal does.
        return capacity > state.capacity
          ? [changed, ...released(state, capacity - state.capacity, 'capacity raised', now)]
          : [changed];
      }
      case 'CloseOffering':
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        return [{ type: 'OfferingClosed', data: { offeringId, closedAt: now } }];
      case 'Enrol': {
        const { placeId, studentId } = command.data;
        if (state.status === 'Closed') throw new OfferingIsClosed(offeringId);
        if (state.places[placeId]) throw new PlaceAlreadyExists(placeId);
        if (Object.values(state.places).some((p) => p.studentId === studentId)) {
          throw new OnePlacePerStudentPerOffering(studentId, offeringId);
        }
        if (freeSeats(state) < 1) throw new OfferingIsFull(offeringId, state.capacity);
        const { subjectGroup, programme } = state.details;
        return [
          { type: 'PlaceEnrolled', data: { ...command.data, offeringId, subjectGroup, programme, enrolledAt: now } },
        ];
      }
      case 'Transfer': {
        const { placeId, toOfferingId, toPlaceId, effectiveOn } = command.data;
        requireDate('effectiveOn', effectiveOn);
        if (toOfferingId === offeringId) throw new TransferNeedsAnotherOffering(offeringId);
        const { studentId } = findPlace(state, placeId);
        return [
          {
            type: 'PlaceTransferredOut',
            data: { offeringId, placeId, studentId, toOfferingId, toPlaceId, effectiveOn, transferredAt: now },
          },
          ...released(state, 1, 'transfer', now),
        ];
      }
      case 'PutOnLeave': {
        const { placeId, from, until } = command.data;
        requireDate('from', from);
        if (until !== null) requireDate('until', until);
        if (until !== null && until < from) throw new DateIsInvalid('until (before from)', until);
        const place = findPlace(state, placeId);
        if (place.status === 'OnLeave') throw new PlaceIsAlreadyOnLeave(placeId);
        return [
          {
            type: 'PlacePutOnLeave',
            data: { offeringId, placeId, studentId: place.studentId, from, until, recordedAt: now },
          },
        ];
      }
      case 'ReturnFromLeave': {
        const place = findPlace(state, command.data.placeId);
        if (place.status !== 'OnLeave') throw new PlaceIsNotOnLeave(place.placeId);
        return [
          {
            type: 'PlaceReturnedFromLeave',
            data: { offeringId, placeId: place.placeId, studentId: place.studentId, returnedAt: now },
          },
        ];
      }
      case 'Withdraw': {
        const { placeId, effectiveOn } = command.data;
        requireDate('effectiveOn', effectiveOn);
        const { studentId } = findPlace(state, placeId);
        // The semester the place ends in is owed as usual; the next is owed too when notice comes after its deadline.
        const next = nextSemester(semesterOf(effectiveOn));
        const deadline = withdrawalDeadline(next, policies(next.schoolYear));
        const noticeOn = osloDate(now);
        return [
          {
            type: 'PlaceWithdrawn',
            data: {
              offeringId,
              placeId,
              studentId,
              effectiveOn,
              noticeOn,
              nextSemester: next,
              deadline,
              afterDeadline: noticeOn > deadline,
            },
          },
          // The seat is free once the withdrawal is recorded; effectiveOn governs fees, not the seat.
          ...released(state, 1, 'withdrawal', now),
        ];
      }
      case 'RecordCancelledLessons': {
        const { schoolYear, term, cancelledLessons } = command.data;
        if (!isSchoolYear(schoolYear))
          throw new OfferingIsInvalid(`"${schoolYear}" is not a school year like 2025-2026`);
        if (term !== 'autumn' && term !== 'spring')
          throw new OfferingIsInvalid(`"${String(term)}" is not autumn or spring`);
        if (!Number.isInteger(cancelledLessons) || cancelledLessons < 0 || cancelledLessons > 100) {
          throw new OfferingIsInvalid(
            `Cancelled lessons must be a whole number from 0 to 100, not ${cancelledLessons}`,
          );
        }
        if ((state.cancelled?.[`${schoolYear}/${term}`] ?? 0) === cancelledLessons) return [];
        return [
          {
            type: 'LessonsCancelledBySchool',
            data: { offeringId, schoolYear, term, cancelledLessons, recordedAt: now },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  };

  return {
    initialState: initialOffering,
    evolve,
    decide: (command, state) => {
      if (command.type === 'OpenOffering') {
        if (state.status !== 'NotOpened') throw new OfferingAlreadyExists(state.offeringId);
        const { capacity, feePerSemesterNok, schoolYear, subject, location } = command.data;
        requireCapacity(capacity);
        if (!Number.isInteger(feePerSemesterNok) || feePerSemesterNok < 0) {
          throw new OfferingIsInvalid(`The fee must be whole kroner, zero or more, not ${feePerSemesterNok}`);
        }
        if (!isSchoolYear(schoolYear))
          throw new OfferingIsInvalid(`"${schoolYear}" is not a school year like 2025-2026`);
        if (subject.trim() === '' || location.trim() === '') {
          throw new OfferingIsInvalid('An offering needs a subject and a location');
        }
        return [{ type: 'OfferingOpened', data: { ...command.data, openedAt: command.metadata.now } }];
      }
      if (state.status === 'NotOpened') throw new OfferingNotFound();
      return decideExisting(command, state);
    },
  };
};

export const offeringDecider = createOfferingDecider();
