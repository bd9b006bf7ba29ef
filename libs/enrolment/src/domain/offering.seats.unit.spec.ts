import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import { offeringDecider } from './offering.decider.js';
import type { OfferingCommand, OfferingDetails } from './offering.commands.js';
import type { OfferingEvent } from './offering.events.js';

// Issue 12: the offering holds every seat (places, places running to their last day, seats under offer), so
// enrolment and admission agree on seats whatever order their commands come in.
const given = DeciderSpecification.for(offeringDecider);
const NOW = '2025-09-01T10:00:00.000Z';
const offeringId = 'offering-cello-ranheim';
const command = (type: OfferingCommand['type'], data: object, now = NOW) =>
  ({ type, data, metadata: { now } }) as OfferingCommand;

const details: OfferingDetails = {
  ...{ subject: 'Cello', subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
  ...{ form: 'individual', feePerSemesterOre: 210_500, schoolYear: '2025-2026' },
};
const opened = (capacity: number): OfferingEvent => ({
  type: 'OfferingOpened',
  data: { ...details, offeringId, capacity, openedAt: NOW },
});
const dims = (n: number) => ({
  studentId: `student-${n}`,
  birthYear: 2014,
  gender: 'female' as const,
  district: 'Østbyen' as const,
  school: 'Ranheim skole',
});
const enrolled = (n: number, viaOfferId: string | null = null, startsOn = '2025-09-01'): OfferingEvent => ({
  type: 'PlaceEnrolled',
  data: {
    ...dims(n),
    ...{ offeringId, placeId: `place-${n}`, subjectGroup: 'music', programme: 'core', enrolledAt: NOW, startsOn },
    ...{ viaOfferId, transferredFrom: null },
  },
});
const enrol = (n: number, viaOfferId: string | null = null, now = NOW) =>
  command('Enrol', { ...dims(n), placeId: `place-${n}`, viaOfferId, transferredFrom: null }, now);
const reserved = (offerId: string, freeSeats: number, at = NOW): OfferingEvent => ({
  type: 'SeatReserved',
  data: { offeringId, offerId, freeSeats, reservedAt: at },
});
const withdrawnThrough = (n: number, lastDay: string): OfferingEvent => ({
  type: 'PlaceWithdrawn',
  data: {
    ...{ offeringId, placeId: `place-${n}`, studentId: `student-${n}`, effectiveOn: lastDay, noticeOn: '2025-09-01' },
    ...{ nextSemester: { schoolYear: '2025-2026', term: 'spring' }, deadline: '2025-12-10', afterDeadline: false },
    seatHeldThrough: lastDay,
  },
});

describe('seats under offer', () => {
  it('sets a seat aside for an offer', () =>
    given([opened(2), enrolled(1)])
      .when(command('ReserveSeat', { offerId: 'offer-1' }))
      .then([reserved('offer-1', 0)]));

  it('sets it aside once however often the step is retried', () =>
    given([opened(2), reserved('offer-1', 1)])
      .when(command('ReserveSeat', { offerId: 'offer-1' }))
      .then([]));

  it('refuses a seat when every seat is held or under offer', () =>
    given([opened(2), enrolled(1), reserved('offer-1', 0)])
      .when(command('ReserveSeat', { offerId: 'offer-2' }))
      .thenThrows(refusals.OfferingIsFull));

  it('refuses to reopen an offer whose seat was filled or released', () =>
    given([opened(2), reserved('offer-1', 1), enrolled(2, 'offer-1')])
      .when(command('ReserveSeat', { offerId: 'offer-1' }))
      .thenThrows(refusals.ReservationIsSettled));

  // Defect: a direct enrolment took a seat that was under offer.
  it('keeps a seat under offer from a direct enrolment', () =>
    given([opened(2), enrolled(1), reserved('offer-1', 0)])
      .when(enrol(2))
      .thenThrows(refusals.OfferingIsFull));

  // Defect: an accepted offer was refused because a direct enrolment had filled the class meanwhile.
  it('fills the seat set aside when the offer is accepted, even with no other seat free', () =>
    given([opened(2), enrolled(1), reserved('offer-1', 0)])
      .when(enrol(2, 'offer-1'))
      .then([enrolled(2, 'offer-1')]));

  // Defect: capacity was cut below the seats promised, and the waitlist went on offering.
  it('refuses a capacity below places held plus seats under offer', () =>
    given([opened(3), enrolled(1), reserved('offer-1', 1)])
      .when(command('ChangeCapacity', { capacity: 1 }))
      .thenThrows(refusals.CapacityCannotDropBelowPlacesHeld, /2 seats/));

  it('releases the seat of an offer that ended without a place', () =>
    given([opened(2), enrolled(1), reserved('offer-1', 0)])
      .when(command('ReleaseReservation', { offerId: 'offer-1', reason: 'admission refused' }))
      .then([
        {
          type: 'SeatReservationReleased',
          data: { offeringId, offerId: 'offer-1', reason: 'admission refused', freeSeats: 1, releasedAt: NOW },
        },
      ]));

  it('releases nothing for an offer whose seat is not held', () =>
    given([opened(2), reserved('offer-1', 1), enrolled(2, 'offer-1')])
      .when(command('ReleaseReservation', { offerId: 'offer-1', reason: 'offer declined' }))
      .then([]));

  it('sets no seat aside in a closed offering', () =>
    given([opened(2), { type: 'OfferingClosed', data: { offeringId, closedAt: NOW } }])
      .when(command('ReserveSeat', { offerId: 'offer-1' }))
      .thenThrows(refusals.OfferingIsClosed));
});

describe('a place that ends keeps its seat through its last day (defect 3)', () => {
  it('holds the seat of a place withdrawn to the end of the semester', () =>
    given([opened(1), enrolled(1), withdrawnThrough(1, '2025-12-31')])
      .when(enrol(2))
      .thenThrows(refusals.OfferingIsFull));

  it('frees nothing on its last day', () =>
    given([opened(1), enrolled(1), withdrawnThrough(1, '2025-12-31')])
      .when(command('ReleaseEndedSeats', {}, '2025-12-31T22:30:00.000Z'))
      .then([]));

  it('frees the seat the day after (Oslo time), saying why', () =>
    given([opened(1), enrolled(1), withdrawnThrough(1, '2025-12-31')])
      .when(command('ReleaseEndedSeats', {}, '2025-12-31T23:30:00.000Z'))
      .then([
        {
          type: 'SeatsReleased',
          data: {
            ...{ offeringId, count: 1, freeSeats: 1, reason: 'withdrawal' },
            ...{ releasedAt: '2025-12-31T23:30:00.000Z', placeIds: ['place-1'] },
          },
        },
      ]));

  it('then takes a new student, whose place starts after the old one ended', () =>
    given([
      opened(1),
      enrolled(1),
      withdrawnThrough(1, '2025-12-31'),
      {
        type: 'SeatsReleased',
        data: { offeringId, count: 1, freeSeats: 1, reason: 'withdrawal', releasedAt: NOW, placeIds: ['place-1'] },
      },
    ])
      .when(enrol(2, null, '2026-01-02T08:00:00.000Z'))
      .then([
        {
          ...enrolled(2, null, '2026-01-02'),
          data: { ...enrolled(2).data, enrolledAt: '2026-01-02T08:00:00.000Z', startsOn: '2026-01-02' },
        } as OfferingEvent,
      ]));

  it('counts a transferred place in the new offering from the transfer’s effective day', () =>
    given([opened(2)])
      .when(
        command('Enrol', {
          ...dims(3),
          ...{ placeId: 'place-3', viaOfferId: null, transferredFrom: { offeringId: 'other', placeId: 'p-old' } },
          startsOn: '2025-11-01',
        }),
      )
      .then([
        {
          type: 'PlaceEnrolled',
          data: {
            ...dims(3),
            ...{ offeringId, placeId: 'place-3', subjectGroup: 'music', programme: 'core', enrolledAt: NOW },
            ...{ startsOn: '2025-11-01', viaOfferId: null, transferredFrom: { offeringId: 'other', placeId: 'p-old' } },
          },
        },
      ]));

  it('counts a place enrolled in the spring before its school year from the year’s first day', () =>
    given([opened(2)])
      .when(enrol(4, null, '2025-06-20T08:00:00.000Z'))
      .then([
        {
          ...enrolled(4, null, '2025-08-01'),
          data: { ...enrolled(4, null, '2025-08-01').data, enrolledAt: '2025-06-20T08:00:00.000Z' },
        } as OfferingEvent,
      ]));
});
