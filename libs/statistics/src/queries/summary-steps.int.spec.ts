import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { testEvent, type AppUnderTest } from '#libs/testing';
import { countByHand } from '../fixtures/statistics-oracle.js';
import { appendTimed, statisticsHistory, type TimedEvent } from '../fixtures/statistics-history.js';
import { statisticsCaughtUp } from '../fixtures/caught-up.js';
import { statisticsProjection } from '../projection/statistics.projection.js';
import type { Tables } from './scope.js';
import { summary } from './statistics.queries.js';
import { stepOn, summarySteps } from './summary-steps.js';
import { startStatisticsApp } from '../fixtures/statistics-app.js';

/*
 * ADR 0021: the summary of every day at once, as steps, must be the summary the per-day query counts on each day, and
 * the one a naive fold of the events counts (countByHand). Generated histories (transfers, withdrawals, applications
 * leaving in five ways, payers, waivers granted and revoked) in three tenants, one of them with registrations merged.
 */
const YEAR = 2025;
const SCHOOL_YEAR = '2025-2026';
const live: Tables = (name) => `"public"."${name}"`;
const shape = { year: YEAR, kulturdagSchools: 1, pupilsPerSchool: 5 };
const histories: Record<string, TimedEvent[]> = {
  hitra: statisticsHistory({
    tenant: 'hitra',
    seed: 21,
    ...shape,
    offerings: 8,
    students: 90,
    applications: 70,
    waivers: 20,
  }),
  frosta: statisticsHistory({
    tenant: 'frosta',
    seed: 22,
    ...shape,
    offerings: 4,
    students: 30,
    applications: 40,
    waivers: 9,
  }),
};
// Merged registrations: students and applicants registered twice count once, on the days both were held or waiting.
const merges: TimedEvent[] = [
  ['s1', 's0'],
  ['s3', 's2'],
  ['s5', 's4'],
  ['s7', 's6'],
].map(([retired = '', into = '']) => ({
  stream: `hitra.people.subject-${retired}`,
  recordAt: '2026-01-10T08:00:00.000Z',
  event: testEvent(
    'hitra',
    'PersonMerged',
    { from: retired, into, retiredIds: [retired], mergedAt: '2026-01-10T08:00:00.000Z' },
    { occurredAt: '2026-01-10T08:00:00.000Z' },
  ),
}));

/** Every day from a month before the school year to a month after it. */
const days = (() => {
  const out: string[] = [];
  for (let t = Date.parse(`${YEAR}-07-01T00:00:00Z`); t <= Date.parse(`${YEAR + 1}-08-31T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
})();

describe('the summary as steps over every day (ADR 0021)', () => {
  let sut: AppUnderTest;

  const caughtUp = () => statisticsCaughtUp(sut.db.pool);
  type Body = { summary: Record<string, unknown>; freshness: { position: string } };
  const getSummary = async (tenant: string, date: string): Promise<Body> => {
    const token = await sut.token('auditor', tenant);
    const response = await sut.request('GET', `/statistics/summary?schoolYear=${SCHOOL_YEAR}&date=${date}`, { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body as Body;
  };

  beforeAll(async () => {
    sut = await startStatisticsApp();
    for (const history of [...Object.values(histories), merges]) await appendTimed(sut.runtime.store, history);
    await caughtUp();
  }, 120_000);
  afterAll(async () => sut?.close());

  it('equals the per-day summary on every day, merged registrations included', async () => {
    for (const tenant of Object.keys(histories)) {
      const steps = await summarySteps(sut.db.pool, live, tenant, SCHOOL_YEAR);
      assert.ok(steps.length > 20, `${tenant}: the figures change on many days (${steps.length} steps)`);
      for (const date of days) {
        const {
          schoolYear: _y,
          date: _d,
          waiverSharePercent: _w,
          ...perDay
        } = await summary(sut.db.pool, live, tenant, { schoolYear: SCHOOL_YEAR, date });
        assert.deepEqual(stepOn(steps, date), perDay, `${tenant} on ${date}`);
      }
    }
  }, 120_000);

  it('equals a fold of the events (countByHand) on every day', async () => {
    const tenant = 'frosta'; // no merges: the naive fold does not know them
    const steps = await summarySteps(sut.db.pool, live, tenant, SCHOOL_YEAR);
    let counted = 0;
    for (const date of days) {
      const byHand = countByHand(histories[tenant] ?? [], tenant, date, YEAR);
      const stepped = stepOn(steps, date);
      const expected = {
        students: byHand.students,
        places: byHand.places,
        waitingChildren: byHand.waitingChildren,
        studentsFemale: byHand.byGender.female ?? 0,
        studentsMale: byHand.byGender.male ?? 0,
        studentsGenderUnknown: byHand.byGender.unknown ?? 0,
        studentsUnderPrimarySchoolAge: byHand.byBand.under ?? 0,
        studentsInPrimarySchoolAge: byHand.byBand.in ?? 0,
        studentsOverPrimarySchoolAge: byHand.byBand.over ?? 0,
        studentsWithWaiver: byHand.studentsWithWaiver,
      };
      const { waitingApplications: _apps, ...figures } = stepped;
      assert.deepEqual(figures, expected, date);
      counted += stepped.students;
    }
    assert.ok(counted > 0, 'students are counted on some days');
  });

  it('knows a merge: the merged tenant counts fewer students on some day than its registrations', async () => {
    const steps = await summarySteps(sut.db.pool, live, 'hitra', SCHOOL_YEAR);
    const registrations = (date: string) => countByHand(histories.hitra ?? [], 'hitra', date, YEAR).students;
    assert.ok(
      days.some((date) => stepOn(steps, date).students < registrations(date)),
      'some merged registrations held places on the same day',
    );
  });

  it('answers the whole-tenant summary from the kept steps once counted, for any day, never older than it says', async () => {
    const tenant = 'frosta';
    const get = (date: string) => getSummary(tenant, date);
    const kept = async () =>
      (
        await sut.db.pool.query<{ position: string }>(
          'SELECT position::text FROM statistics_summary_steps WHERE tenant = $1 AND school_year = $2',
          [tenant, SCHOOL_YEAR],
        )
      ).rows[0]?.position;
    // The first answer counts its day; the steps are counted beside it, at the same position or later.
    const first = await get('2025-11-20');
    for (let n = 0; n < 500 && (await kept()) === undefined; n++) await sleep(20);
    assert.ok(BigInt((await kept()) ?? -1) >= BigInt(first.freshness.position), 'the steps hold the answer');
    // Any other day is answered from them, and equals the day counted by itself.
    for (const date of ['2025-09-01', '2026-03-15', '2026-07-31']) {
      const { summary: answered } = await get(date);
      const counted = await summary(sut.db.pool, live, tenant, { schoolYear: SCHOOL_YEAR, date });
      assert.deepEqual(answered, counted, date);
    }
    // Proof that the answer is the kept row's, not a count of the day, in another tenant whose steps no process has
    // in memory yet: a row changed by hand is what is answered, unless it was counted from another version's tables.
    const other = 'hitra';
    const tableSet = `${statisticsProjection.name}@v${statisticsProjection.version}`;
    const position = (await get('2025-11-20')).freshness.position;
    const figures = stepOn(await summarySteps(sut.db.pool, live, other, SCHOOL_YEAR), '2026-01-05');
    const forged = JSON.stringify([{ day: '2025-08-01', ...figures, students: 4242 }]);
    await sut.db.pool.query(
      `INSERT INTO statistics_summary_steps (tenant, school_year, table_set, position, steps)
       VALUES ($1, $2, 'statistics@v0', $3, $4)`,
      [other, SCHOOL_YEAR, position, forged],
    );
    assert.equal(
      (await getSummary(other, '2026-01-05')).summary.students,
      figures.students,
      'another version: not used',
    );
    const counted = async () =>
      (
        await sut.db.pool.query<{ table_set: string }>(
          'SELECT table_set FROM statistics_summary_steps WHERE tenant = $1 AND school_year = $2',
          [other, SCHOOL_YEAR],
        )
      ).rows[0]?.table_set;
    for (let n = 0; n < 500 && (await counted()) !== tableSet; n++) await sleep(20);
    assert.equal(await counted(), tableSet, 'counted again from the live version');
    await sut.db.pool.query('UPDATE statistics_summary_steps SET steps = $3 WHERE tenant = $1 AND school_year = $2', [
      other,
      SCHOOL_YEAR,
      forged,
    ]);
    assert.equal((await getSummary(other, '2026-01-06')).summary.students, 4242);
  });

  it("keeps answering from the steps while only other tenants' events come, and counts again on the tenant's own", async () => {
    const tenant = 'frosta';
    const keptRow = async () =>
      (
        await sut.db.pool.query<{ position: string; counted_at: string }>(
          'SELECT position::text, counted_at::text FROM statistics_summary_steps WHERE tenant = $1 AND school_year = $2',
          [tenant, SCHOOL_YEAR],
        )
      ).rows[0];
    await getSummary(tenant, '2026-02-01');
    const before = await keptRow();
    assert.ok(before, 'the steps were counted by the earlier answers');
    const at = '2026-01-20T09:00:00.000Z';
    const place = (t: string, placeId: string, offeringId: string): TimedEvent => ({
      stream: `${t}.enrolment.offering-${offeringId}`,
      recordAt: at,
      event: testEvent(
        t,
        'PlaceEnrolled',
        {
          ...{ offeringId, placeId, studentId: `s-new-${t}`, birthYear: 2014, gender: 'female', district: 'Sentrum' },
          ...{ school: 'sentrum-skole', subjectGroup: 'music', programme: 'core', enrolledAt: at },
          ...{ startsOn: '2026-01-20', viaOfferId: null, transferredFrom: null },
        },
        { occurredAt: at },
      ),
    });
    const offeringOf = (t: string) =>
      String(
        (histories[t]?.find((e) => e.event.type === 'OfferingOpened')?.event.data as { offeringId: string }).offeringId,
      );

    // Another tenant's event moves the read model on; this tenant's steps still hold, and are not counted again.
    await appendTimed(sut.runtime.store, [place('hitra', 'pl-new-hitra', offeringOf('hitra'))]);
    await caughtUp();
    const other = await getSummary(tenant, '2026-02-02');
    assert.ok(BigInt(other.freshness.position) > BigInt(before.position), 'the answer names the newer position');
    const after = await keptRow();
    assert.equal(after?.counted_at, before.counted_at, 'not counted again');
    assert.ok(BigInt(after?.position ?? 0) >= BigInt(other.freshness.position), 'they hold the newer position');

    // The tenant's own event: the next answer has it, never the steps counted before it.
    const studentsBefore = stepOn(await summarySteps(sut.db.pool, live, tenant, SCHOOL_YEAR), '2026-02-03').students;
    await appendTimed(sut.runtime.store, [place(tenant, 'pl-new-frosta', offeringOf(tenant))]);
    await caughtUp();
    const own = await getSummary(tenant, '2026-02-03');
    assert.equal(own.summary.students, studentsBefore + 1);
  });
});
