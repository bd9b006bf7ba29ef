import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { sampleOfferingOpened, testEvent, type AppUnderTest } from '#libs/testing';
import { appendTimed, type TimedEvent } from '../fixtures/statistics-history.js';
import { statisticsCaughtUp } from '../fixtures/caught-up.js';
import { startStatisticsApp } from '../fixtures/statistics-app.js';

/*
 * Likeverd worked by hand, as of 20 November 2025 (school year 2025-2026), Trondheim:
 *  c1–c6 Heimdal, born 2015 (6–15), waiting 10, 20, 30, 40, 50, 60 days; c1 also waits in a second offering since
 *        15 Nov (still one child, its oldest wait counts). c1–c5 have payer p1, who holds a fee waiver.
 *  c7–c8 Lerkendal, born 2008 (over 15), waiting 70 and 80 days.
 *  c9–c13 Heimdal, 2015: offer accepted and a place followed (admitted).
 *  c14 Heimdal, 2015: offer accepted, admission refused (no place: not admitted).
 *  c15 Heimdal, 2015: withdrew on 1 October (an application, not waiting, not admitted).
 *  c16 applied on 1 December: after the day, counted nowhere.
 * Applications: c1 ×2, c2–c8, c9–c15 = 16; admitted 5.
 */
const T = 'trondheim';
const DAY = '2025-11-20';
const at = (context: string, aggregate: string, type: string, data: Record<string, unknown>, recordAt: string) => ({
  stream: `${T}.${context}.${aggregate}`,
  recordAt,
  event: testEvent(T, type, data, { occurredAt: recordAt }),
});
const noon = (day: string) => `${day}T11:00:00.000Z`;
const opened = noon('2025-08-01');
const history: TimedEvent[] = (() => {
  const events: TimedEvent[] = [];
  for (const [offeringId, subject] of [
    ['o-piano', 'Piano'],
    ['o-gitar', 'Gitar'],
  ] as const)
    events.push(
      at(
        'enrolment',
        offeringId,
        'OfferingOpened',
        sampleOfferingOpened({ offeringId, subject, openedAt: opened }),
        opened,
      ),
    );
  const apply = (child: string, appliedOn: string, district: string, born: string, offeringId = 'o-piano') => {
    const applicationId = `${child}-${offeringId}`;
    events.push(
      at(
        'waitlist',
        offeringId,
        'ApplicationSubmitted',
        {
          ...{ offeringId, applicationId, childId: child, appliedAt: noon(appliedOn), appliedOn, born },
          ...{ specialNeeds: false, hasPlace: false, dimensions: { gender: 'female', district, school: null } },
        },
        noon(appliedOn),
      ),
    );
    return applicationId;
  };
  const waits = [10, 20, 30, 40, 50, 60];
  const dayMinus = (days: number) =>
    new Date(Date.parse(`${DAY}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  waits.forEach((days, i) => apply(`c${i + 1}`, dayMinus(days), 'Heimdal', '2015-03'));
  apply('c1', '2025-11-15', 'Heimdal', '2015-03', 'o-gitar');
  apply('c7', dayMinus(70), 'Lerkendal', '2008-01');
  apply('c8', dayMinus(80), 'Lerkendal', '2008-01');
  for (const n of [9, 10, 11, 12, 13, 14]) {
    const child = `c${n}`;
    const applicationId = apply(child, '2025-08-15', 'Heimdal', '2015-03');
    const accepted = noon('2025-09-01');
    events.push(
      at(
        'waitlist',
        'o-piano',
        'OfferAccepted',
        {
          offeringId: 'o-piano',
          applicationId,
          offerId: `offer-${child}`,
          childId: child,
          acceptedAt: accepted,
          answer: 'reply',
        },
        accepted,
      ),
    );
    if (n === 14) continue; // refused: no place followed
    events.push(
      at(
        'enrolment',
        'o-piano',
        'PlaceEnrolled',
        {
          ...{ offeringId: 'o-piano', placeId: `p-${child}`, studentId: child, birthYear: 2015, gender: 'female' },
          ...{ district: 'Heimdal', school: null, subjectGroup: 'music', programme: 'core' },
          ...{ enrolledAt: noon('2025-09-02'), viaOfferId: `offer-${child}`, transferredFrom: null },
        },
        noon('2025-09-02'),
      ),
    );
  }
  const withdrawn = apply('c15', '2025-08-20', 'Heimdal', '2015-03');
  events.push(
    at(
      'waitlist',
      'o-piano',
      'ApplicationWithdrawn',
      { offeringId: 'o-piano', applicationId: withdrawn, withdrawnAt: noon('2025-10-01'), reason: 'family' },
      noon('2025-10-01'),
    ),
  );
  apply('c16', '2025-12-01', 'Heimdal', '2015-03');
  for (const child of ['c1', 'c2', 'c3', 'c4', 'c5'])
    events.push(
      at(
        'funding',
        `payer-${child}`,
        'ChildPayerRegistered',
        { childId: child, payerId: 'p1', previousPayerId: null, registeredBy: 'cw', registeredAt: noon('2025-08-10') },
        noon('2025-08-10'),
      ),
    );
  events.push(
    at(
      'funding',
      'waiver-p1',
      'FeeWaiverGranted',
      {
        applicationId: 'w-p1',
        householdId: 'p1',
        schoolYear: '2025-2026',
        level: 'full',
        payPercent: 0,
        decidedAt: noon('2025-08-12'),
      },
      noon('2025-08-12'),
    ),
  );
  return events;
})();

interface Row {
  dimension: string;
  group: string;
  waitingChildren: number | string;
  medianWaitDays: number | null;
  meanWaitDays: number | null;
  applications: number | string;
  admitted: number | string;
  admissionRatePercent: number | null;
}
interface Body {
  totals: Row;
  byDistrict: Row[];
  byAgeBand: Row[];
  byWaiver: Row[];
  items: (Row & { schoolYear?: string; date?: string })[];
  suppressedBelow: number;
  freshness: { position: string };
}
const figures = (row: Row | undefined) =>
  row && [
    row.waitingChildren,
    row.medianWaitDays,
    row.meanWaitDays,
    row.applications,
    row.admitted,
    row.admissionRatePercent,
  ];

describe('Likeverd (equity) over HTTP, built from events', () => {
  let sut: AppUnderTest;
  let auditor: string;

  beforeAll(async () => {
    sut = await startStatisticsApp();
    auditor = await sut.token('auditor');
    await appendTimed(sut.runtime.store, history);
    await statisticsCaughtUp(sut.db.pool);
  });
  afterAll(async () => sut?.close());

  const body = async (url: string, token = auditor) => {
    const response = await sut.request('GET', url, { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body as Body;
  };

  it('gives the hand-worked figures per district, age band and fee waiver, small cells suppressed', async () => {
    const answer = await body(`/statistics/equity?schoolYear=2025-2026&date=${DAY}`);
    assert.equal(answer.suppressedBelow, 5);
    // waiting, median, mean, applications, admitted, admission rate
    assert.deepEqual(figures(answer.totals), [8, 45, 45, 16, 5, 31.3]);
    const district = (name: string) => figures(answer.byDistrict.find((row) => row.group === name));
    assert.deepEqual(district('Heimdal'), [6, 35, 35, 14, 5, 35.7]);
    assert.deepEqual(district('Lerkendal'), ['under 5', null, null, 'under 5', 0, null]);
    // Every district of the register has a row; where nobody applied, zeros and no rate.
    assert.ok(answer.byDistrict.length > 2);
    for (const row of answer.byDistrict.filter((r) => !['Heimdal', 'Lerkendal'].includes(r.group)))
      assert.deepEqual(figures(row), [0, null, null, 0, 0, null], row.group);
    const band = (name: string) => figures(answer.byAgeBand.find((row) => row.group === name));
    assert.deepEqual(band('in'), [6, 35, 35, 14, 5, 35.7]);
    assert.deepEqual(band('over'), ['under 5', null, null, 'under 5', 0, null]);
    const waiver = (name: string) => figures(answer.byWaiver.find((row) => row.group === name));
    assert.deepEqual(waiver('with-waiver'), [5, 30, 30, 6, 0, 0]);
    // 5 admitted of 10, but only 3 waiting: the count reads "under 5" and their wait is not given.
    assert.deepEqual(waiver('without-waiver'), ['under 5', null, null, 10, 5, 50]);
    assert.equal(answer.items.length, 1 + answer.byDistrict.length + answer.byAgeBand.length + 2);
    assert.ok(answer.freshness.position);
  });

  it('counts each school year on its last day, and exports CSV', async () => {
    const years = await body('/statistics/equity/school-years?from=2025-2026&to=2025-2026');
    const totals = years.items.find((row) => row.dimension === 'all');
    assert.equal(totals?.schoolYear, '2025-2026');
    assert.equal(totals?.date, '2026-07-31');
    // On 31 July 2026 the same eight wait, each 253 days longer, and c16 since 1 December (242 days): 9 children,
    // median 293, mean 2626 / 9; 17 applications, 5 admitted.
    assert.deepEqual(figures(totals), [9, 293, 291.8, 17, 5, 29.4]);
    const csv = await sut.request('GET', `/statistics/equity?schoolYear=2025-2026&date=${DAY}&format=csv`, {
      token: auditor,
    });
    assert.equal(csv.status, 200);
    const lines = String(csv.body).trim().split('\r\n');
    assert.equal(
      lines[0],
      'dimension,group,waitingChildren,medianWaitDays,meanWaitDays,applications,admitted,admissionRatePercent',
    );
    assert.ok(lines.includes('district,Lerkendal,under 5,,,under 5,0,'), lines.join('\n'));
  });

  it('answers bad input with 400 problem+json, and caseworkers with 403', async () => {
    const outside = await sut.request('GET', '/statistics/equity?schoolYear=2025-2026&date=2026-09-01', {
      token: auditor,
    });
    assert.equal(outside.status, 400);
    assert.match(outside.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await sut.request('GET', '/statistics/equity?date=2025-13-40', { token: auditor })).status, 400);
    const caseworker = await sut.token('caseworker');
    assert.equal((await sut.request('GET', '/statistics/equity', { token: caseworker })).status, 403);
    assert.equal((await sut.request('GET', '/statistics/equity')).status, 401);
  });
});
