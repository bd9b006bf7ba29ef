import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { rows, validateProjection, type Row } from '#libs/projections';
import { recordedTestEvent, sampleOfferingOpened } from '#libs/testing';
import { statisticsProjection } from './statistics.projection.js';

const recorded = recordedTestEvent;
const offering = 'trondheim.enrolment.offering-piano-1';
const waitlist = 'trondheim.waitlist.offering-piano-1';
const handle = statisticsProjection.handle;

describe('statistics projection', () => {
  it('is a definition the runner accepts', () => {
    assert.doesNotThrow(() => validateProjection(statisticsProjection));
  });

  it('keeps an offering with its GSI subject group, programme, centre and school year', () => {
    const opened = recorded(offering, 'OfferingOpened', sampleOfferingOpened({ openedAt: '2025-07-31T22:30:00.000Z' }));
    assert.deepEqual(handle(opened), [
      rows.upsert(
        'stat_offerings',
        { offering_id: 'piano-1' },
        {
          subject: 'Piano',
          subject_group: 'music',
          programme: 'core',
          location: 'Ranheim',
          district: 'Østbyen',
          school_year: '2025-2026',
          capacity: 12,
          opened_on: '2025-08-01', // 00:30 in Oslo
          closed_on: null,
        },
      ),
    ]);
  });

  it('keeps a place with its student dimensions and the Oslo day it started', () => {
    const enrolled = recorded(offering, 'PlaceEnrolled', {
      offeringId: 'piano-1',
      placeId: 'pl-1',
      studentId: 's-1',
      birthYear: 2015,
      gender: 'female',
      district: 'Heimdal',
      school: 'tiller-skole',
      subjectGroup: 'music',
      programme: 'core',
      enrolledAt: '2025-08-20T08:00:00.000Z',
      viaOfferId: null,
      transferredFrom: null,
    });
    assert.deepEqual(handle(enrolled), [
      rows.upsert(
        'stat_places',
        { place_id: 'pl-1' },
        {
          offering_id: 'piano-1',
          student_id: 's-1',
          birth_year: 2015,
          gender: 'female',
          district: 'Heimdal',
          school: 'tiller-skole',
          subject_group: 'music',
          programme: 'core',
          started_on: '2025-08-20',
          ended_on: null,
          end_reason: null,
        },
      ),
    ]);
  });

  it('starts a place on its startsOn (a transfer’s effective day), an older event without one on its Oslo enrolment day', () => {
    const place = (placeId: string, more: Record<string, unknown>) =>
      recorded(offering, 'PlaceEnrolled', {
        ...{ offeringId: 'piano-1', placeId, studentId: 's-1', birthYear: 2015, gender: 'female' },
        ...{ district: 'Heimdal', school: null, subjectGroup: 'music', programme: 'core', viaOfferId: null },
        ...{ enrolledAt: '2025-08-31T22:30:00.000Z', transferredFrom: null, ...more },
      });
    const startedOn = (changes: ReturnType<typeof handle>) => (changes[0] as { set: Row }).set.started_on;
    assert.equal(startedOn(handle(place('pl-1', {}))), '2025-09-01'); // 00:30 in Oslo
    const transferred = place('pl-2', {
      startsOn: '2025-11-01',
      transferredFrom: { offeringId: 'piano-2', placeId: 'pl-0' },
    });
    assert.equal(startedOn(handle(transferred)), '2025-11-01');
  });

  it('ends a withdrawn place on its last day, and a transferred one the day before the move', () => {
    const withdrawn = recorded(offering, 'PlaceWithdrawn', {
      offeringId: 'piano-1',
      placeId: 'pl-1',
      studentId: 's-1',
      effectiveOn: '2025-12-31',
    });
    const moved = recorded(offering, 'PlaceTransferredOut', {
      offeringId: 'piano-1',
      placeId: 'pl-2',
      studentId: 's-2',
      toOfferingId: 'piano-2',
      toPlaceId: 'pl-3',
      effectiveOn: '2026-01-01',
      transferredAt: '2025-12-01T10:00:00Z',
    });
    assert.deepEqual(handle(withdrawn), [
      rows.update('stat_places', { place_id: 'pl-1' }, { ended_on: '2025-12-31', end_reason: 'withdrawn' }),
    ]);
    assert.deepEqual(handle(moved), [
      rows.update('stat_places', { place_id: 'pl-2' }, { ended_on: '2025-12-31', end_reason: 'transferred' }),
    ]);
  });

  it('keeps an application with the birth year and dimensions, and the day the child left the waitlist', () => {
    const submitted = recorded(waitlist, 'ApplicationSubmitted', {
      offeringId: 'piano-1',
      applicationId: 'a-1',
      childId: 'c-1',
      appliedAt: '2025-05-02T10:00:00Z',
      appliedOn: '2025-05-02',
      born: '2016-03',
      specialNeeds: false,
      hasPlace: false,
    });
    assert.deepEqual(handle(submitted), [
      rows.upsert(
        'stat_applications',
        { application_id: 'a-1' },
        {
          offering_id: 'piano-1',
          child_id: 'c-1',
          birth_year: 2016,
          gender: 'unknown',
          district: null,
          school: null,
          applied_on: '2025-05-02',
          left_on: null,
          left_reason: null,
        },
      ),
    ]);
    for (const [type, field, reason] of [
      ['ApplicationWithdrawn', 'withdrawnAt', 'withdrawn'],
      ['UnconfirmedApplicationRemoved', 'removedAt', 'not reconfirmed'],
      ['OfferAccepted', 'acceptedAt', 'offer accepted'],
      ['OfferDeclined', 'declinedAt', 'offer declined'],
      ['OfferLapsed', 'lapsedAt', 'offer lapsed'],
    ] as const) {
      const left = recorded(waitlist, type, { applicationId: 'a-1', [field]: '2025-09-30T22:15:00Z' });
      assert.deepEqual(
        handle(left),
        [rows.update('stat_applications', { application_id: 'a-1' }, { left_on: '2025-10-01', left_reason: reason })],
        type,
      );
    }
  });

  it('keeps Kulturdag schools and pupils per school year', () => {
    const kulturdag = 'trondheim.enrolment.kulturdag-berg-skole_2025-2026';
    const joined = recorded(kulturdag, 'SchoolJoinedKulturdag', {
      schoolId: 'berg-skole',
      schoolYear: '2025-2026',
      district: 'Lerkendal',
      joinedAt: '2025-08-15T08:00:00Z',
    });
    const pupil = recorded(kulturdag, 'KulturdagPupilRegistered', {
      schoolId: 'berg-skole',
      schoolYear: '2025-2026',
      district: 'Lerkendal',
      pupilId: 'p-1',
      birthYear: 2017,
      registeredAt: '2025-08-20T08:00:00Z',
    });
    assert.deepEqual(handle(joined), [
      rows.upsert(
        'stat_kulturdag_schools',
        { school_id: 'berg-skole', school_year: '2025-2026' },
        { district: 'Lerkendal', joined_on: '2025-08-15' },
      ),
    ]);
    assert.deepEqual(handle(pupil), [
      rows.upsert(
        'stat_kulturdag_pupils',
        { pupil_id: 'p-1', school_year: '2025-2026' },
        { school_id: 'berg-skole', district: 'Lerkendal', birth_year: 2017, registered_on: '2025-08-20' },
      ),
    ]);
  });

  it('closes the previous payer the day before a new one takes over', () => {
    const registered = recorded('trondheim.funding.child-c-1', 'ChildPayerRegistered', {
      childId: 'c-1',
      payerId: 'h-2',
      previousPayerId: 'h-1',
      registeredBy: 'caseworker-1',
      registeredAt: '2025-09-10T08:00:00Z',
    });
    assert.deepEqual(handle(registered), [
      rows.update('stat_payers', { child_id: 'c-1', payer_id: 'h-1' }, { until_on: '2025-09-09' }),
      rows.upsert('stat_payers', { child_id: 'c-1', payer_id: 'h-2' }, { from_on: '2025-09-10', until_on: null }),
    ]);
  });

  it('keeps a granted waiver until it is revoked or expires', () => {
    const stream = 'trondheim.funding.fee-waiver-w-1';
    const granted = recorded(stream, 'FeeWaiverGranted', {
      applicationId: 'w-1',
      householdId: 'h-2',
      schoolYear: '2025-2026',
      level: 'full',
      payPercent: 0,
      decidedAt: '2025-09-01T08:00:00Z',
    });
    const revoked = recorded(stream, 'FeeWaiverRevoked', { applicationId: 'w-1', revokedAt: '2026-02-01T08:00:00Z' });
    assert.deepEqual(handle(granted), [
      rows.upsert(
        'stat_waivers',
        { application_id: 'w-1' },
        {
          household_id: 'h-2',
          school_year: '2025-2026',
          level: 'full',
          pay_percent: 0,
          granted_on: '2025-09-01',
          ended_on: null,
        },
      ),
    ]);
    assert.deepEqual(handle(revoked), [
      rows.update('stat_waivers', { application_id: 'w-1' }, { ended_on: '2026-02-01' }),
    ]);
  });

  it('maps every retired id of a merged person to the survivor, trusted only from the people streams', () => {
    const merged = { from: 'p-old', into: 'p-new', retiredIds: ['p-old', 'p-older'], mergedAt: '2026-03-02T09:00:00Z' };
    assert.deepEqual(handle(recorded('trondheim.people.subject-p-old', 'PersonMerged', merged)), [
      rows.upsert('stat_person_merges', { retired_id: 'p-old' }, { person_id: 'p-new' }),
      rows.upsert('stat_person_merges', { retired_id: 'p-older' }, { person_id: 'p-new' }),
    ]);
    assert.deepEqual(handle(recorded('trondheim.enrolment.student-p-old', 'PersonMerged', merged)), []);
  });

  it('trusts an event type only from the context that owns it, and ignores what it does not read', () => {
    const forged = recorded('trondheim.waitlist.offering-x', 'PlaceEnrolled', { placeId: 'pl-9' });
    assert.deepEqual(handle(forged), []);
    assert.deepEqual(handle(recorded(offering, 'SeatsReleased', { offeringId: 'piano-1' })), []);
  });
});

describe('statistics projection: families who move', () => {
  it('records a reported move with the day it takes effect', () => {
    const changes = statisticsProjection.handle({
      eventId: '00000000-0000-4000-8000-000000000001',
      type: 'StudentDistrictChanged',
      schemaVersion: 1,
      data: {
        studentId: 's-1',
        previousDistrict: 'Heimdal',
        district: 'Klæbu',
        effectiveOn: '2025-10-01',
        changedAt: '2025-10-02T08:00:00Z',
      },
      metadata: {
        tenant: 'trondheim',
        correlationId: 'c',
        causationId: 'c',
        actor: { id: 'folkeregister-feed', role: 'system' },
        occurredAt: '2025-10-02T08:00:00Z',
      },
      streamName: 'trondheim.enrolment.student-s-1',
      streamRevision: 3,
      position: 42n,
      recordedAt: new Date('2025-10-02T08:00:00Z'),
    });
    assert.deepEqual(changes, [
      {
        kind: 'upsert',
        table: 'stat_student_moves',
        key: { student_id: 's-1', effective_on: '2025-10-01' },
        set: { district: 'Klæbu' },
        add: {},
      },
    ]);
  });
});
