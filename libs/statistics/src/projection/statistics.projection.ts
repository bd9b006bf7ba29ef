import type {
  CapacityChanged,
  KulturdagPupilRegistered,
  OfferingClosed,
  OfferingOpened,
  PlaceContinued,
  PlaceEnrolled,
  PlaceTransferredOut,
  PlaceWithdrawn,
  SchoolJoinedKulturdag,
  StudentDistrictChanged,
} from '#libs/enrolment';
import { offeringDimensionColumns, offeringDimensions } from '#libs/enrolment';
import type { ChildPayerRegistered, FeeWaiverExpired, FeeWaiverGranted, FeeWaiverRevoked } from '#libs/funding';
import type { PersonMerged } from '#libs/personal-data';
import { ownedEvents, rows, type Projection, type RowChange } from '#libs/projections';
import { applicantDimensions } from '#libs/waitlist';
import type {
  AdmissionRefused,
  ApplicationSubmitted,
  ApplicationWithdrawn,
  OfferAccepted,
  OfferDeclined,
  OfferLapsed,
  UnconfirmedApplicationRemoved,
} from '#libs/waitlist';
import { dayBefore, osloDate } from '#libs/calendar';

type StatisticsEvent =
  | OfferingOpened
  | CapacityChanged
  | OfferingClosed
  | PlaceEnrolled
  | PlaceWithdrawn
  | PlaceTransferredOut
  | PlaceContinued
  | StudentDistrictChanged
  | SchoolJoinedKulturdag
  | KulturdagPupilRegistered
  | ApplicationSubmitted
  | ApplicationWithdrawn
  | UnconfirmedApplicationRemoved
  | OfferAccepted
  | OfferDeclined
  | OfferLapsed
  | AdmissionRefused
  | ChildPayerRegistered
  | FeeWaiverGranted
  | FeeWaiverRevoked
  | FeeWaiverExpired
  | PersonMerged;

// Each event type is trusted only from the context that owns it (the second part of the stream name).
const OWNER: Record<StatisticsEvent['type'], 'enrolment' | 'waitlist' | 'funding' | 'people'> = {
  OfferingOpened: 'enrolment',
  CapacityChanged: 'enrolment',
  OfferingClosed: 'enrolment',
  PlaceEnrolled: 'enrolment',
  PlaceWithdrawn: 'enrolment',
  PlaceTransferredOut: 'enrolment',
  PlaceContinued: 'enrolment',
  StudentDistrictChanged: 'enrolment',
  SchoolJoinedKulturdag: 'enrolment',
  KulturdagPupilRegistered: 'enrolment',
  ApplicationSubmitted: 'waitlist',
  ApplicationWithdrawn: 'waitlist',
  UnconfirmedApplicationRemoved: 'waitlist',
  OfferAccepted: 'waitlist',
  OfferDeclined: 'waitlist',
  OfferLapsed: 'waitlist',
  AdmissionRefused: 'waitlist',
  ChildPayerRegistered: 'funding',
  FeeWaiverGranted: 'funding',
  FeeWaiverRevoked: 'funding',
  FeeWaiverExpired: 'funding',
  PersonMerged: 'people',
};

const { eventTypes: EVENT_TYPES, isOwned: isStatisticsEvent } = ownedEvents<StatisticsEvent>(OWNER);

/**
 * Statistics for dashboards and the GSI form. Rows keep their dates (a place's first and last day, an application's
 * day in and day out), so any date's figures are a query over them; counting happens at query time, so a student
 * with two places is still one student. No names or national ids: pseudonymous ids and the dimensions events carry.
 */
export const statisticsProjection: Projection = {
  name: 'statistics',
  version: 3,
  eventTypes: EVENT_TYPES,
  tables: [
    {
      name: 'stat_offerings',
      columns: {
        offering_id: 'text',
        ...offeringDimensionColumns,
        capacity: 'integer',
        opened_on: 'date',
        closed_on: 'date',
      },
      key: ['offering_id'],
      indexes: [['school_year']],
    },
    {
      name: 'stat_places',
      columns: {
        place_id: 'text',
        offering_id: 'text',
        student_id: 'text',
        birth_year: 'integer',
        gender: 'text',
        district: 'text',
        school: 'text',
        subject_group: 'text',
        programme: 'text',
        /** The first day the place was held. */
        started_on: 'date',
        /** The last day the place was held; null while it is held. */
        ended_on: 'date',
        end_reason: 'text',
        /** GSI A11/A12: the student lives in another municipality. */
        from_other_municipality: 'boolean',
      },
      key: ['place_id'],
      indexes: [['offering_id'], ['student_id']],
    },
    {
      name: 'stat_applications',
      columns: {
        application_id: 'text',
        offering_id: 'text',
        child_id: 'text',
        birth_year: 'integer',
        gender: 'text',
        district: 'text',
        school: 'text',
        applied_on: 'date',
        /** The day the child left the waitlist (not waiting from that day); null while waiting. */
        left_on: 'date',
        left_reason: 'text',
      },
      key: ['application_id'],
      indexes: [['offering_id'], ['child_id']],
    },
    {
      name: 'stat_kulturdag_schools',
      columns: { school_id: 'text', school_year: 'text', district: 'text', joined_on: 'date' },
      key: ['school_id', 'school_year'],
    },
    {
      name: 'stat_kulturdag_pupils',
      columns: {
        pupil_id: 'text',
        school_year: 'text',
        school_id: 'text',
        district: 'text',
        birth_year: 'integer',
        registered_on: 'date',
      },
      key: ['pupil_id', 'school_year'],
      indexes: [['school_year', 'school_id']],
    },
    {
      name: 'stat_payers',
      columns: { child_id: 'text', payer_id: 'text', from_on: 'date', until_on: 'date' },
      key: ['child_id', 'payer_id'],
      indexes: [['payer_id']],
    },
    {
      // Moves reported by the population register: a student counts in the district it lives in on the day asked.
      name: 'stat_student_moves',
      columns: { student_id: 'text', effective_on: 'date', district: 'text' },
      key: ['student_id', 'effective_on'],
    },
    {
      // A retired registration's id names its surviving person: queries count people through it (personSql).
      name: 'stat_person_merges',
      columns: { retired_id: 'text', person_id: 'text' },
      key: ['retired_id'],
      indexes: [['person_id']],
    },
    {
      name: 'stat_waivers',
      columns: {
        application_id: 'text',
        household_id: 'text',
        school_year: 'text',
        level: 'text',
        pay_percent: 'integer',
        granted_on: 'date',
        /** The day it stopped applying (revoked or expired); null while it applies. */
        ended_on: 'date',
      },
      key: ['application_id'],
      indexes: [['household_id'], ['school_year']],
    },
  ],
  handle: (event) => (isStatisticsEvent(event) ? statisticsRows(event) : []),
};

const leftWaitlist = (applicationId: string, at: string, reason: string): RowChange[] => [
  rows.update('stat_applications', { application_id: applicationId }, { left_on: osloDate(at), left_reason: reason }),
];

/** The place's last day and why it ended. */
const placeEnded = (placeId: string, lastDay: string, reason: string): RowChange[] => [
  rows.update('stat_places', { place_id: placeId }, { ended_on: lastDay, end_reason: reason }),
];

/** The day the waiver stopped applying (revoked or expired). */
const waiverEnded = (applicationId: string, at: string): RowChange[] => [
  rows.update('stat_waivers', { application_id: applicationId }, { ended_on: osloDate(at) }),
];

const birthYearOf = (born: string): number => Number(born.slice(0, 4));

const statisticsRows = (event: StatisticsEvent): RowChange[] => {
  switch (event.type) {
    case 'OfferingOpened':
      return [
        rows.upsert(
          'stat_offerings',
          { offering_id: event.data.offeringId },
          {
            ...offeringDimensions(event.data),
            capacity: event.data.capacity,
            opened_on: osloDate(event.data.openedAt),
            closed_on: null,
          },
        ),
      ];
    case 'CapacityChanged':
      return [rows.update('stat_offerings', { offering_id: event.data.offeringId }, { capacity: event.data.capacity })];
    case 'OfferingClosed':
      return [
        rows.update(
          'stat_offerings',
          { offering_id: event.data.offeringId },
          { closed_on: osloDate(event.data.closedAt) },
        ),
      ];
    case 'PlaceEnrolled': {
      const d = event.data;
      return [
        rows.upsert(
          'stat_places',
          { place_id: d.placeId },
          {
            offering_id: d.offeringId,
            student_id: d.studentId,
            birth_year: d.birthYear,
            gender: d.gender,
            district: d.district,
            school: d.school,
            subject_group: d.subjectGroup,
            programme: d.programme,
            // The first day the place counts: a transfer's effective day; events before startsOn: the enrolment day.
            started_on: d.startsOn ?? osloDate(d.enrolledAt),
            ended_on: null,
            end_reason: null,
            // Only when registered so (null reads as living here): places recorded before the flag look the same.
            ...(d.fromOtherMunicipality ? { from_other_municipality: true } : {}),
          },
        ),
      ];
    }
    case 'PlaceWithdrawn':
      // effectiveOn is the place's last day.
      return placeEnded(event.data.placeId, event.data.effectiveOn, 'withdrawn');
    case 'PlaceTransferredOut':
      // effectiveOn is the first day in the new offering, so the old place's last day is the day before.
      return placeEnded(event.data.placeId, dayBefore(event.data.effectiveOn), 'transferred');
    case 'PlaceContinued':
      // Rollover: the place ends with its school year and counts in the next one as its new place.
      return placeEnded(event.data.placeId, event.data.lastDay, 'continued');
    case 'StudentDistrictChanged':
      return [
        rows.upsert(
          'stat_student_moves',
          { student_id: event.data.studentId, effective_on: event.data.effectiveOn },
          { district: event.data.district },
        ),
      ];
    case 'SchoolJoinedKulturdag': {
      const { schoolId, schoolYear, district, joinedAt } = event.data;
      return [
        rows.upsert(
          'stat_kulturdag_schools',
          { school_id: schoolId, school_year: schoolYear },
          { district, joined_on: osloDate(joinedAt) },
        ),
      ];
    }
    case 'KulturdagPupilRegistered': {
      const { pupilId, schoolYear, schoolId, district, birthYear, registeredAt } = event.data;
      return [
        rows.upsert(
          'stat_kulturdag_pupils',
          { pupil_id: pupilId, school_year: schoolYear },
          { school_id: schoolId, district, birth_year: birthYear, registered_on: osloDate(registeredAt) },
        ),
      ];
    }
    case 'ApplicationSubmitted': {
      const { applicationId, offeringId, childId, born, appliedOn, dimensions } = event.data;
      return [
        rows.upsert(
          'stat_applications',
          { application_id: applicationId },
          {
            offering_id: offeringId,
            child_id: childId,
            birth_year: birthYearOf(born),
            ...applicantDimensions(dimensions),
            applied_on: appliedOn,
            left_on: null,
            left_reason: null,
          },
        ),
      ];
    }
    case 'ApplicationWithdrawn':
      // Carried over: the child waits on in the next school year's offering (its new entry counts there).
      return leftWaitlist(
        event.data.applicationId,
        event.data.withdrawnAt,
        event.data.reason === 'carried-over' ? 'carried over' : 'withdrawn',
      );
    case 'UnconfirmedApplicationRemoved':
      return leftWaitlist(event.data.applicationId, event.data.removedAt, 'not reconfirmed');
    case 'OfferAccepted':
      return leftWaitlist(event.data.applicationId, event.data.acceptedAt, 'offer accepted');
    case 'OfferDeclined':
      return leftWaitlist(event.data.applicationId, event.data.declinedAt, 'offer declined');
    case 'OfferLapsed':
      return leftWaitlist(event.data.applicationId, event.data.lapsedAt, 'offer lapsed');
    case 'AdmissionRefused':
      // A kept entry waits again: the child counts on the waitlist as before the accepted offer.
      return event.data.entry === 'kept'
        ? [
            rows.update(
              'stat_applications',
              { application_id: event.data.applicationId },
              { left_on: null, left_reason: null },
            ),
          ]
        : [];
    case 'ChildPayerRegistered': {
      const { childId, payerId, previousPayerId, registeredAt } = event.data;
      const on = osloDate(registeredAt);
      return [
        ...(previousPayerId && previousPayerId !== payerId
          ? [rows.update('stat_payers', { child_id: childId, payer_id: previousPayerId }, { until_on: dayBefore(on) })]
          : []),
        rows.upsert('stat_payers', { child_id: childId, payer_id: payerId }, { from_on: on, until_on: null }),
      ];
    }
    case 'FeeWaiverGranted': {
      const { applicationId, householdId, schoolYear, level, payPercent, decidedAt } = event.data;
      return [
        rows.upsert(
          'stat_waivers',
          { application_id: applicationId },
          {
            household_id: householdId,
            school_year: schoolYear,
            level,
            pay_percent: payPercent,
            granted_on: osloDate(decidedAt),
            ended_on: null,
          },
        ),
      ];
    }
    case 'FeeWaiverRevoked':
      return waiverEnded(event.data.applicationId, event.data.revokedAt);
    case 'FeeWaiverExpired':
      return waiverEnded(event.data.applicationId, event.data.expiredAt);
    case 'PersonMerged':
      return event.data.retiredIds.map((retiredId) =>
        rows.upsert('stat_person_merges', { retired_id: retiredId }, { person_id: event.data.into }),
      );
  }
};
