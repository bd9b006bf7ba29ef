import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import { enrolmentPolicies } from './enrolment.policy.js';
import { createOfferingDecider, offeringDecider } from './offering.decider.js';
import type { OfferingCommand, OfferingDetails, StudentDimensions } from './offering.commands.js';
import type { OfferingEvent } from './offering.events.js';

const given = DeciderSpecification.for(offeringDecider);
const NOW = '2025-09-01T10:00:00.000Z';
const at = (now: string) => ({ now });
const command = (c: OfferingCommand): OfferingCommand => c;
const offeringId = 'offering-piano-byasen';

const details: OfferingDetails = {
  subject: 'Piano',
  subjectGroup: 'music',
  programme: 'core',
  location: 'Byåsen',
  district: 'Lerkendal',
  form: 'individual',
  feePerSemesterOre: 210_500,
  schoolYear: '2025-2026',
};
const opened = (capacity: number): OfferingEvent => ({
  type: 'OfferingOpened',
  data: { ...details, offeringId, capacity, openedAt: NOW },
});
const student = (n: number): StudentDimensions => ({
  studentId: `student-${n}`,
  birthYear: 2014,
  gender: n % 2 ? 'female' : 'male',
  district: 'Heimdal',
  school: 'Sjetne skole',
});
const enrolled = (n: number, viaOfferId: string | null = null): OfferingEvent => ({
  type: 'PlaceEnrolled',
  data: {
    ...student(n),
    offeringId,
    placeId: `place-${n}`,
    subjectGroup: 'music',
    programme: 'core',
    enrolledAt: NOW,
    startsOn: '2025-09-01',
    viaOfferId,
    transferredFrom: null,
  },
});
const enrol = (n: number, placeId = `place-${n}`) =>
  command({
    type: 'Enrol',
    data: { ...student(n), placeId, viaOfferId: 'offer-7', transferredFrom: null },
    metadata: at(NOW),
  });
const released = (count: number, freeSeats: number, reason: 'withdrawal' | 'transfer' | 'capacity raised', now = NOW) =>
  ({
    type: 'SeatsReleased',
    data: { offeringId, count, freeSeats, reason, releasedAt: now },
  }) satisfies OfferingEvent;
const closed: OfferingEvent = { type: 'OfferingClosed', data: { offeringId, closedAt: NOW } };
const onLeave: OfferingEvent = {
  type: 'PlacePutOnLeave',
  data: { offeringId, placeId: 'place-1', studentId: 'student-1', from: '2025-09-01', until: null, recordedAt: NOW },
};
const withdraw = (now: string, effectiveOn: string, placeId = 'place-1') =>
  command({ type: 'Withdraw', data: { placeId, effectiveOn }, metadata: at(now) });

describe('offering decider', () => {
  describe('before it is opened', () => {
    const open = (data: Partial<OfferingDetails & { capacity: number }> = {}) =>
      command({ type: 'OpenOffering', data: { ...details, offeringId, capacity: 12, ...data }, metadata: at(NOW) });

    it('opens it with its subject group, programme, district, form, capacity and fee', () =>
      given([])
        .when(open())
        .then([opened(12)]));

    it.each([
      ['refuses a capacity below one', { capacity: 0 }, refusals.CapacityIsInvalid, undefined],
      ['refuses a fee that is not whole øre', { feePerSemesterOre: 210_500.5 }, refusals.OfferingIsInvalid, /øre/],
      ['refuses a malformed school year', { schoolYear: '2025/26' }, refusals.OfferingIsInvalid, /school year/],
      ['refuses a missing subject', { subject: ' ' }, refusals.OfferingIsInvalid, undefined],
    ])('%s', (_, data, refusal, message) => given([]).when(open(data)).thenThrows(refusal, message));

    it('refuses enrolment', () => given([]).when(enrol(1)).thenThrows(refusals.OfferingNotFound));

    it('refuses to be opened twice', () =>
      given([opened(2)])
        .when(open())
        .thenThrows(refusals.OfferingAlreadyExists));
  });

  describe('when open with free seats', () => {
    it('enrols a student with the dimensions statistics need', () =>
      given([opened(2)])
        .when(enrol(1))
        .then([enrolled(1, 'offer-7')]));

    it('gives a student one place per offering', () =>
      given([opened(2), enrolled(1)])
        .when(enrol(1, 'place-9'))
        .thenThrows(refusals.OnePlacePerStudentPerOffering));

    it('refuses a place id already in use', () =>
      given([opened(3), enrolled(1)])
        .when(enrol(2, 'place-1'))
        .thenThrows(refusals.PlaceAlreadyExists));

    it('raising capacity frees the new seats for the waitlist', () =>
      given([opened(2), enrolled(1)])
        .when(command({ type: 'ChangeCapacity', data: { capacity: 4 }, metadata: at(NOW) }))
        .then([
          { type: 'CapacityChanged', data: { offeringId, previousCapacity: 2, capacity: 4, changedAt: NOW } },
          released(2, 3, 'capacity raised'),
        ]));

    it('lowering capacity to the places held frees nothing', () =>
      given([opened(3), enrolled(1)])
        .when(command({ type: 'ChangeCapacity', data: { capacity: 1 }, metadata: at(NOW) }))
        .then([{ type: 'CapacityChanged', data: { offeringId, previousCapacity: 3, capacity: 1, changedAt: NOW } }]));

    it('records nothing when capacity is unchanged', () =>
      given([opened(3)])
        .when(command({ type: 'ChangeCapacity', data: { capacity: 3 }, metadata: at(NOW) }))
        .then([]));

    it('closes', () =>
      given([opened(3)])
        .when(command({ type: 'CloseOffering', data: {}, metadata: at(NOW) }))
        .then([closed]));
  });

  describe('when full', () => {
    const full = [opened(2), enrolled(1), enrolled(2)];

    it('refuses enrolment: capacity is never exceeded', () =>
      given(full).when(enrol(3)).thenThrows(refusals.OfferingIsFull));

    it('counts a place on leave as held', () =>
      given([opened(1), enrolled(1), onLeave])
        .when(enrol(3))
        .thenThrows(refusals.OfferingIsFull));

    it('refuses to drop capacity below the places held', () =>
      given(full)
        .when(command({ type: 'ChangeCapacity', data: { capacity: 1 }, metadata: at(NOW) }))
        .thenThrows(refusals.CapacityCannotDropBelowPlacesHeld));

    it('takes a new student once a withdrawal has freed a seat', () =>
      given([
        ...full,
        {
          type: 'PlaceWithdrawn',
          data: {
            offeringId,
            placeId: 'place-2',
            studentId: 'student-2',
            effectiveOn: '2025-12-31',
            noticeOn: '2025-09-01',
            nextSemester: { schoolYear: '2025-2026', term: 'spring' },
            deadline: '2025-12-10',
            afterDeadline: false,
          },
        },
      ])
        .when(enrol(3))
        .then([enrolled(3, 'offer-7')]));
  });

  describe('withdrawing a place', () => {
    type Owed = { schoolYear: string; term: 'autumn' | 'spring' };
    const withdrawn = (
      now: string,
      effectiveOn: string,
      next: 'autumn' | 'spring',
      schoolYear: string,
      deadline: string,
      afterDeadline: boolean,
      lastSemesterOwed: Owed,
      seatHeldThrough: string | null,
    ) => ({
      type: 'PlaceWithdrawn' as const,
      data: {
        offeringId,
        placeId: 'place-1',
        studentId: 'student-1',
        effectiveOn,
        noticeOn: now.slice(0, 10),
        nextSemester: { schoolYear, term: next },
        deadline,
        afterDeadline,
        lastSemesterOwed,
        seatHeldThrough,
      },
    });
    const autumn = (schoolYear: string): Owed => ({ schoolYear, term: 'autumn' });
    const spring = (schoolYear: string): Owed => ({ schoolYear, term: 'spring' });

    const ownDeadlines = DeciderSpecification.for(
      createOfferingDecider(
        enrolmentPolicies({
          '2026-2027': { withdrawalDeadlines: { autumn: { month: 6, day: 1 }, spring: { month: 12, day: 1 } } },
        }),
      ),
    );
    // The seat is held through the place's last day (statistics never count more places than seats on a date).
    it.each([
      [
        'before 10 December owes nothing of the spring, and holds the seat through the last day',
        given,
        ['2025-12-10T12:00:00.000Z', '2025-12-31', 'spring', '2025-2026', '2025-12-10', false],
        autumn('2025-2026'),
      ],
      [
        'after 10 December records that the spring semester is owed',
        given,
        ['2025-12-11T12:00:00.000Z', '2025-12-31', 'spring', '2025-2026', '2025-12-10', true],
        spring('2025-2026'),
      ],
      [
        'follows a school year’s own deadline',
        ownDeadlines,
        ['2026-06-02T12:00:00.000Z', '2026-06-30', 'autumn', '2026-2027', '2026-06-01', true],
        autumn('2026-2027'),
      ],
    ] as const)('%s', (_, spec, [now, effectiveOn, next, schoolYear, deadline, afterDeadline], owed) =>
      spec([opened(2), enrolled(1)])
        .when(withdraw(now, effectiveOn))
        .then([withdrawn(now, effectiveOn, next, schoolYear, deadline, afterDeadline, owed, effectiveOn)]),
    );

    it('after 10 August, a place that ended in June owes the autumn, and its seat is free at once', () =>
      given([opened(2), enrolled(1)])
        .when(withdraw('2026-08-11T12:00:00.000Z', '2026-06-30'))
        .then([
          withdrawn(
            '2026-08-11T12:00:00.000Z',
            '2026-06-30',
            'autumn',
            '2026-2027',
            '2026-08-10',
            true,
            autumn('2026-2027'),
            null,
          ),
          released(1, 2, 'withdrawal', '2026-08-11T12:00:00.000Z'),
        ]));

    it('from a closed offering releases no seat to the waitlist', () =>
      given([opened(2), enrolled(1), closed])
        .when(withdraw('2025-12-01T12:00:00.000Z', '2025-12-31'))
        .then([
          withdrawn(
            '2025-12-01T12:00:00.000Z',
            '2025-12-31',
            'spring',
            '2025-2026',
            '2025-12-10',
            false,
            autumn('2025-2026'),
            '2025-12-31',
          ),
        ]));

    it('refuses an effective date that is not a date', () =>
      given([opened(2), enrolled(1)])
        .when(withdraw(NOW, '31.12.2025'))
        .thenThrows(refusals.DateIsInvalid));

    it.each(['2026-13-01', '2026-12-32', '2025-02-30'])('refuses %s, a day that does not exist', (effectiveOn) =>
      given([opened(2), enrolled(1)])
        .when(withdraw(NOW, effectiveOn))
        .thenThrows(refusals.DateIsInvalid),
    );

    it('refuses a place not held here', () =>
      given([opened(2), enrolled(1)])
        .when(withdraw(NOW, '2025-12-31', 'place-9'))
        .thenThrows(refusals.PlaceNotFound));
  });

  describe('transferring a place', () => {
    const transfer = (toOfferingId: string) =>
      command({
        type: 'Transfer',
        data: { placeId: 'place-1', toOfferingId, toPlaceId: 'place-1b', effectiveOn: '2025-10-01' },
        metadata: at(NOW),
      });

    it('records the place leaving for the target, its seat held through the day before the transfer', () =>
      given([opened(1), enrolled(1)])
        .when(transfer('offering-piano-ranheim'))
        .then([
          {
            type: 'PlaceTransferredOut',
            data: {
              offeringId,
              placeId: 'place-1',
              studentId: 'student-1',
              toOfferingId: 'offering-piano-ranheim',
              toPlaceId: 'place-1b',
              effectiveOn: '2025-10-01',
              transferredAt: NOW,
              seatHeldThrough: '2025-09-30',
            },
          },
        ]));

    it('refuses a transfer to the same offering', () =>
      given([opened(1), enrolled(1)])
        .when(transfer(offeringId))
        .thenThrows(refusals.TransferNeedsAnotherOffering));
  });

  describe('leave', () => {
    const putOnLeave = (from: string, until: string | null) =>
      command({ type: 'PutOnLeave', data: { placeId: 'place-1', from, until }, metadata: at(NOW) });
    const returnFromLeave = command({ type: 'ReturnFromLeave', data: { placeId: 'place-1' }, metadata: at(NOW) });

    it('puts a place on leave, keeping its seat', () =>
      given([opened(1), enrolled(1)])
        .when(putOnLeave('2025-10-01', '2026-01-31'))
        .then([
          {
            type: 'PlacePutOnLeave',
            data: {
              offeringId,
              placeId: 'place-1',
              studentId: 'student-1',
              from: '2025-10-01',
              until: '2026-01-31',
              recordedAt: NOW,
            },
          },
        ]));

    it('refuses a leave that ends before it starts', () =>
      given([opened(1), enrolled(1)])
        .when(putOnLeave('2025-10-01', '2025-09-01'))
        .thenThrows(refusals.DateIsInvalid));

    it('refuses a place already on leave', () =>
      given([opened(1), enrolled(1), onLeave])
        .when(putOnLeave('2025-10-01', null))
        .thenThrows(refusals.PlaceIsAlreadyOnLeave));

    it('brings a place back from leave', () =>
      given([opened(1), enrolled(1), onLeave])
        .when(returnFromLeave)
        .then([
          {
            type: 'PlaceReturnedFromLeave',
            data: { offeringId, placeId: 'place-1', studentId: 'student-1', returnedAt: NOW },
          },
        ]));

    it('refuses a return for a place not on leave', () =>
      given([opened(1), enrolled(1)])
        .when(returnFromLeave)
        .thenThrows(refusals.PlaceIsNotOnLeave));
  });

  describe('when closed', () => {
    it('takes no enrolment', () =>
      given([opened(3), closed])
        .when(enrol(1))
        .thenThrows(refusals.OfferingIsClosed));

    it('takes no capacity change', () =>
      given([opened(3), closed])
        .when(command({ type: 'ChangeCapacity', data: { capacity: 5 }, metadata: at(NOW) }))
        .thenThrows(refusals.OfferingIsClosed));

    it('cannot be closed again', () =>
      given([opened(3), closed])
        .when(command({ type: 'CloseOffering', data: {}, metadata: at(NOW) }))
        .thenThrows(refusals.OfferingIsClosed));
  });
});

describe('offering: lessons the school cancelled', () => {
  const cancel = (cancelledLessons: number, term: 'autumn' | 'spring' = 'autumn') =>
    command({
      type: 'RecordCancelledLessons',
      data: { schoolYear: '2025-2026', term, cancelledLessons },
      metadata: at(NOW),
    });
  const cancelled = (cancelledLessons: number, term: 'autumn' | 'spring' = 'autumn'): OfferingEvent => ({
    type: 'LessonsCancelledBySchool',
    data: { offeringId, schoolYear: '2025-2026', term, cancelledLessons, recordedAt: NOW },
  });

  it('records the semester’s total of cancelled lessons', () =>
    given([opened(4)])
      .when(cancel(2))
      .then([cancelled(2)]));

  it('records a new total when more are cancelled', () =>
    given([opened(4), cancelled(2)])
      .when(cancel(4))
      .then([cancelled(4)]));

  it('records nothing when the total is unchanged (a repeated request)', () =>
    given([opened(4), cancelled(4)])
      .when(cancel(4))
      .then([]));

  it('keeps semesters apart', () =>
    given([opened(4), cancelled(4)])
      .when(cancel(4, 'spring'))
      .then([cancelled(4, 'spring')]));

  it('refuses a negative count', () =>
    given([opened(4)])
      .when(cancel(-1))
      .thenThrows(refusals.OfferingIsInvalid));

  it('refuses an offering that was never opened', () =>
    given([]).when(cancel(1)).thenThrows(refusals.OfferingNotFound));
});
