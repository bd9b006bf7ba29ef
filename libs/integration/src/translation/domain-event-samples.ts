import { createHash } from 'node:crypto';
import type { OfferingEvent, KulturdagEvent } from '#libs/enrolment';
import type { NewEvent } from '#libs/event-store';
import { sampleOfferingOpened } from '#libs/testing';
import type { FeeWaiverEvent, HouseholdFeesEvent } from '#libs/funding';
import type { WaitlistEvent } from '#libs/waitlist';

/*
 * One of every domain event the relay translates (plus internal ones it must not publish), as appends per stream.
 * Used by the contract, relay and AsyncAPI tests and by the benchmark, so all of them cover the same event types.
 */

export interface SampleAppend {
  streamName: string;
  events: NewEvent[];
}

type DomainEvent = OfferingEvent | KulturdagEvent | WaitlistEvent | HouseholdFeesEvent | FeeWaiverEvent;

/** Deterministic uuid per (run, label), so a re-run of a fixture appends the same ids. */
export const sampleUuid = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const at = '2025-08-20T09:00:00.000Z';

/** Every translated domain event type once, for sample number `n` in tenant `tenant`. */
export const sampleAppends = (tenant: string, n: number, run = 'samples'): SampleAppend[] => {
  const id = (label: string) => `${label}-${n}`;
  const offeringId = id('piano-ranheim');
  const toOfferingId = id('guitar-heimdal');
  const studentId = id('stu');
  const childId = id('child');
  const dimensions = {
    studentId,
    birthYear: 2014,
    gender: 'female' as const,
    district: 'Østbyen' as const,
    school: 'Ranheim skole',
  };
  const offering: DomainEvent[] = [
    { type: 'OfferingOpened', data: sampleOfferingOpened({ offeringId, capacity: 4, openedAt: at }) },
    { type: 'CapacityChanged', data: { offeringId, previousCapacity: 4, capacity: 5, changedAt: at } },
    {
      type: 'PlaceEnrolled',
      data: {
        ...dimensions,
        offeringId,
        placeId: id('place-a'),
        subjectGroup: 'music',
        programme: 'core',
        enrolledAt: at,
        viaOfferId: id('offer'),
        transferredFrom: null,
      },
    },
    {
      type: 'PlaceTransferredOut',
      data: {
        offeringId,
        placeId: id('place-a'),
        studentId,
        toOfferingId,
        toPlaceId: id('place-b'),
        effectiveOn: '2025-10-31',
        transferredAt: at,
      },
    },
    {
      type: 'PlaceWithdrawn',
      data: {
        offeringId,
        placeId: id('place-c'),
        studentId: id('stu-2'),
        effectiveOn: '2025-12-31',
        noticeOn: '2025-12-15',
        nextSemester: { schoolYear: '2025-2026', term: 'spring' },
        deadline: '2025-12-10',
        afterDeadline: true,
      },
    },
    // Rule 6: asked, reminded, answered (continue, and quit at the year's end).
    ...reregistration(offeringId, id('place-c'), id('stu-2'), at),
    // Internal: the relay must skip them.
    { type: 'SeatsReleased', data: { offeringId, count: 1, freeSeats: 1, reason: 'withdrawal', releasedAt: at } },
    { type: 'SeatReserved', data: { offeringId, offerId: id('offer'), freeSeats: 0, reservedAt: at } },
    {
      type: 'SeatReservationReleased',
      data: { offeringId, offerId: id('offer'), reason: 'admission refused', freeSeats: 1, releasedAt: at },
    },
    { type: 'OfferingClosed', data: { offeringId, closedAt: at } },
  ];
  const kulturdag: DomainEvent[] = [
    {
      type: 'KulturdagPupilRegistered',
      data: {
        schoolId: id('school'),
        schoolYear: '2025-2026',
        district: 'Heimdal',
        pupilId: id('pupil'),
        birthYear: 2017,
        registeredAt: at,
      },
    },
  ];
  const facts = { offeringId, applicationId: id('app'), childId };
  const offer = { ...facts, offerId: id('offer') };
  const waitlist: DomainEvent[] = [
    {
      type: 'ApplicationSubmitted',
      data: { ...facts, appliedAt: at, appliedOn: '2025-08-20', born: '2014-03', specialNeeds: true, hasPlace: false },
    },
    // Internal: the relay must skip it.
    { type: 'MainAdmissionRun', data: { offeringId, schoolYear: '2025-2026', runAt: at } },
    {
      type: 'PlaceOffered',
      data: {
        ...offer,
        offeredAt: at,
        deadline: '2025-08-27T09:00:00.000Z',
        basis: 'queue',
        reasons: ['no place yet'],
        silenceMeansAcceptance: true,
      },
    },
    { type: 'OfferAccepted', data: { ...offer, acceptedAt: at, answer: 'silence' } },
    {
      type: 'AdmissionRefused',
      data: {
        ...offer,
        refusal: {
          code: 'StudentHoldsTooManyPlaces',
          message: `Student ${childId} already holds 2 place(s), the most allowed`,
        },
        entry: 'kept',
        refusedAt: at,
      },
    },
    { type: 'OfferDeclined', data: { ...offer, declinedAt: at } },
    { type: 'OfferLapsed', data: { ...offer, lapsedAt: at } },
    { type: 'ApplicationWithdrawn', data: { ...facts, withdrawnAt: at, offerId: null } },
    {
      type: 'UnconfirmedApplicationRemoved',
      data: { ...facts, schoolYear: '2025-2026', removedAt: at },
    },
  ];
  const household: DomainEvent[] = [
    {
      type: 'SemesterFeesAssessed',
      data: {
        assessmentId: id('assessment'),
        payerId: id('payer'),
        schoolYear: '2025-2026',
        term: 'autumn',
        lines: [
          { kind: 'BaseFee', placeId: id('place-a'), childId: studentId, amount: 210_500 },
          {
            kind: 'SiblingDiscount',
            placeId: id('place-a'),
            childId: studentId,
            amount: -105_250,
            percent: 50,
            childNumber: 3,
          },
        ],
        notBilled: [],
        owes: 105_250,
        replaces: null,
        assessedAt: at,
      },
    },
  ];
  const waiverFacts = { applicationId: id('waiver'), householdId: id('household'), schoolYear: '2025-2026' } as const;
  const waiver: DomainEvent[] = [
    {
      type: 'FeeWaiverGranted',
      data: {
        ...waiverFacts,
        level: 'partial',
        payPercent: 30,
        band: { upToG: 3, payPercent: 30 },
        basis: { baseAmountG: 13_016_000, incomeSchedule: [{ upToG: 3, payPercent: 30 }] },
        incomeRef: 'enc:v1:key:abc',
        decidedBy: 'caseworker-1',
        decidedAt: at,
      },
    },
    { type: 'FeeWaiverRevoked', data: { ...waiverFacts, reason: 'Moved away', revokedBy: 'cw-1', revokedAt: at } },
    { type: 'FeeWaiverExpired', data: { ...waiverFacts, expiredAt: at } },
  ];
  const toNew = (streamName: string, events: DomainEvent[]): SampleAppend => ({
    streamName,
    events: events.map((event, index) => ({
      eventId: sampleUuid(`${run}/${tenant}/${n}/${streamName}/${index}`),
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: {
        tenant,
        correlationId: sampleUuid(`${run}/${tenant}/${n}/correlation`),
        causationId: sampleUuid(`${run}/${tenant}/${n}/causation`),
        actor: { id: 'caseworker-1', role: 'caseworker' },
        occurredAt: at,
      },
    })),
  });
  return [
    toNew(`${tenant}.enrolment.offering-${offeringId}`, offering),
    toNew(`${tenant}.enrolment.kulturdag-${id('school')}`, kulturdag),
    toNew(`${tenant}.waitlist.offering-${offeringId}`, waitlist),
    toNew(`${tenant}.funding.household-${id('payer')}`, household),
    toNew(`${tenant}.funding.fee-waiver-${id('waiver')}`, waiver),
  ];
};

/** A place's spring re-registration (rule 6), each step as the offering records it. */
const reregistration = (offeringId: string, placeId: string, studentId: string, at: string): DomainEvent[] => {
  const of = { offeringId, placeId, studentId, schoolYear: '2025-2026' };
  return [
    { type: 'PlaceReregistrationRequested', data: { ...of, deadline: '2026-05-01', requestedAt: at } },
    { type: 'PlaceReregistrationReminded', data: { ...of, deadline: '2026-05-01', remindedAt: at } },
    { type: 'PlaceReregistered', data: { ...of, answer: 'silence', answeredAt: at } },
    { type: 'PlaceQuitAtYearEnd', data: { ...of, lastDay: '2026-07-31', answer: 'reply', answeredAt: at } },
  ];
};
