import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { sampleOfferingOpened, testEvent, type AppUnderTest } from '#libs/testing';
import { appendTimed, type TimedEvent } from '../fixtures/statistics-history.js';
import { statisticsCaughtUp } from '../fixtures/caught-up.js';
import { startStatisticsApp } from '../fixtures/statistics-app.js';

// GSI A11/A12: students registered as living in another municipality, counted once each as of 1 October.
const TENANT = 'lindesnes';
const at = (aggregate: string, type: string, data: Record<string, unknown>, recordAt: string): TimedEvent => ({
  stream: `${TENANT}.enrolment.${aggregate}`,
  recordAt,
  event: testEvent(TENANT, type, data, { occurredAt: recordAt }),
});
const OPENED = '2025-08-01T06:00:00.000Z';
const offering = (offeringId: string, subjectGroup: string) =>
  at(
    `offering-${offeringId}`,
    'OfferingOpened',
    sampleOfferingOpened({ offeringId, subjectGroup, openedAt: OPENED }),
    OPENED,
  );
const place = (
  offeringId: string,
  placeId: string,
  studentId: string,
  gender: 'female' | 'male',
  fromOtherMunicipality?: boolean,
) => {
  const enrolledAt = '2025-08-20T08:00:00.000Z';
  return at(
    `offering-${offeringId}`,
    'PlaceEnrolled',
    {
      ...{ offeringId, placeId, studentId, birthYear: 2014, gender, district: 'Mandal', school: 'Mandal skole' },
      ...{ subjectGroup: offeringId === 'o-dans' ? 'dance' : 'music', programme: 'core', enrolledAt },
      ...{ viaOfferId: null, transferredFrom: null },
      // Events recorded before the flag existed have none: they count as living here.
      ...(fromOtherMunicipality === undefined ? {} : { fromOtherMunicipality }),
    },
    enrolledAt,
  );
};
const withdrawnBeforeOctober = at(
  'offering-o-dans',
  'PlaceWithdrawn',
  {
    ...{ offeringId: 'o-dans', placeId: 'pl-left', studentId: 's-away-left', effectiveOn: '2025-09-15' },
    ...{ noticeOn: '2025-09-01', nextSemester: { schoolYear: '2025-2026', term: 'spring' } },
    ...{ deadline: '2025-08-10', afterDeadline: true },
  },
  '2025-09-01T08:00:00.000Z',
);
const history: TimedEvent[] = [
  offering('o-fiolin', 'music'),
  offering('o-dans', 'dance'),
  place('o-fiolin', 'pl-home', 's-home', 'female'),
  place('o-fiolin', 'pl-home-flag', 's-home-flag', 'male', false),
  // Two places, one student.
  place('o-fiolin', 'pl-away-1a', 's-away-1', 'female', true),
  place('o-dans', 'pl-away-1b', 's-away-1', 'female', true),
  place('o-dans', 'pl-away-2', 's-away-2', 'male', true),
  place('o-dans', 'pl-left', 's-away-left', 'male', true),
  withdrawnBeforeOctober,
];

describe('GSI: students from other municipalities (A11/A12)', () => {
  let sut: AppUnderTest;
  let lines: Record<string, [unknown, unknown, unknown, unknown]>;

  beforeAll(async () => {
    sut = await startStatisticsApp();
    await appendTimed(sut.runtime.store, history);
    // GSI reads an as-of build of what was recorded by 1 October: the history was recorded before it.
    const client = await sut.db.pool.connect();
    try {
      await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
      await client.query(`UPDATE es_events SET recorded_at = '2025-09-30T12:00:00Z'`);
      await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    } finally {
      client.release();
    }
    await statisticsCaughtUp(sut.db.pool);
    const response = await sut.request('GET', '/statistics/gsi/2025', { token: await sut.token('auditor', TENANT) });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const items = (
      response.body as { items: { line: string; girls: number; boys: number; genderUnknown: number; total: number }[] }
    ).items;
    lines = Object.fromEntries(items.map((i) => [i.line, [i.girls, i.boys, i.genderUnknown, i.total]]));
  });
  afterAll(async () => sut?.close());

  it('counts each student from another municipality once, girls and boys, holding a place on 1 October', () =>
    assert.deepEqual(lines.A11, [1, 1, 0, 2]));

  it('counts them among all students too', () => assert.deepEqual(lines.A4?.[3], 4));
});
