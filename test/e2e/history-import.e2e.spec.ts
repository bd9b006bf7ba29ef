import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { runImport, type ImportReport } from '#libs/history-import';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';

/**
 * Issue 14: a school's past comes in through the command API with its own dates (ADR 0014). The facts keep the day
 * they happened (occurredAt) apart from the day the import recorded them, so GSI as of a past 1 October counts them,
 * a second run records nothing twice, and a refused line is reported with the platform's reason.
 */
const ImportApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  ProjectionsModule.register({ projections: [waitlistQueueProjection, statisticsProjection], run: true, idleMs: 20 }),
  StatisticsModule,
);

const offering = (key: string, subject: string, capacity: number) => ({
  key,
  at: '2025-03-01T09:00:00+01:00',
  command: 'openOffering',
  data: {
    subject,
    subjectGroup: 'music',
    programme: 'core',
    location: 'Ranheim',
    district: 'Østbyen',
    form: 'individual',
    capacity,
    feePerSemesterNok: 2105,
    schoolYear: '2025-2026',
  },
});
// The person first (issue 14: enrolment takes a registered person), a minute before the place.
const person = (n: number, born: string, gender: 'female' | 'male', at: string) => ({
  key: `person:${n}`,
  at,
  command: 'registerPerson',
  data: { nationalId: fodselsnummerFor(born, n), name: `Elev ${n}`, gender },
});
const student = (n: number, birthYear: number, gender: string) => ({
  person: `person:${n}`,
  birthYear,
  gender,
  district: 'Østbyen',
  school: 'Ranheim skole',
});

const history = () =>
  [
    offering('offering:piano', 'Piano', 2),
    offering('offering:gitar', 'Gitar', 5),
    person(1, '2015-03-01', 'female', '2025-08-20T08:59:00+02:00'),
    {
      key: 'place:1',
      at: '2025-08-20T09:00:00+02:00',
      command: 'enrolStudent',
      data: { offering: 'offering:piano', ...student(1, 2015, 'female') },
    },
    person(2, '2008-05-05', 'male', '2025-08-20T09:04:00+02:00'),
    {
      key: 'place:2',
      at: '2025-08-20T09:05:00+02:00',
      command: 'enrolStudent',
      data: { offering: 'offering:piano', ...student(2, 2008, 'male') },
    },
    person(3, '2012-06-06', 'male', '2025-08-21T09:59:00+02:00'),
    {
      key: 'place:3',
      at: '2025-08-21T10:00:00+02:00',
      command: 'enrolStudent',
      data: { offering: 'offering:gitar', ...student(3, 2012, 'male') },
    },
    // The piano has no seat left: refused, and the withdrawal of that place is skipped.
    person(4, '2013-07-07', 'female', '2025-08-22T09:59:00+02:00'),
    {
      key: 'place:4',
      at: '2025-08-22T10:00:00+02:00',
      command: 'enrolStudent',
      data: { offering: 'offering:piano', ...student(4, 2013, 'female') },
    },
    {
      key: 'withdraw:4',
      at: '2025-09-01T10:00:00+02:00',
      command: 'withdrawPlace',
      data: { place: 'place:4', effectiveOn: '2025-12-31' },
    },
    {
      key: 'application:1',
      at: '2025-09-10T12:00:00+02:00',
      command: 'submitApplication',
      data: {
        offering: 'offering:piano',
        child: {
          name: 'Nora Hansen',
          nationalId: fodselsnummerFor('2016-04-02'),
          gender: 'female',
          district: 'Østbyen',
        },
        guardian: { name: 'Kari Hansen', email: 'kari@example.no' },
        specialNeeds: false,
      },
    },
    {
      key: 'withdraw:3',
      at: '2025-11-15T10:00:00+02:00',
      command: 'withdrawPlace',
      data: { place: 'place:3', effectiveOn: '2025-12-31' },
    },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n');

describe('a school’s past, imported', () => {
  let sut: AppUnderTest;
  let file: string;
  let first: ImportReport;
  const clock = new AdjustableClock(new Date('2026-12-05T08:00:00Z'));

  beforeAll(async () => {
    sut = await startAppUnderTest(ImportApp, {
      migrations: [
        ...projectionsMigrations,
        ...statisticsMigrations,
        ...personalDataMigrations,
        ...admissionMigrations,
      ],
      clock,
    });
    file = history();
    first = await runImport(file, { baseUrl: sut.baseUrl, token: await sut.token('admin'), patienceMs: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('records every line it can and reports the refused one with the platform’s reason and what it held up', () => {
    assert.equal(first.lines, 13, JSON.stringify(first.refused.slice(0, 3)));
    assert.equal(first.recorded, 11, JSON.stringify(first.refused.slice(0, 3)));
    assert.deepEqual(
      first.refused.map((r) => [r.key, r.status, r.problem?.type]),
      [['place:4', 409, 'https://kulturskole.example/problems/offering-is-full']],
    );
    assert.deepEqual(
      first.skipped.map((s) => [s.key, s.reason]),
      [['withdraw:4', 'needs place:4']],
    );
    assert.deepEqual(first.perCommand.enrolStudent, { recorded: 3, refused: 1, skipped: 0 });
  });

  it('keeps the day a fact happened apart from the day the import recorded it', async () => {
    const events = await committedEvents(sut.db.pool, ['PlaceEnrolled', 'ApplicationSubmitted']);
    const enrolled = events.filter((e) => e.type === 'PlaceEnrolled');
    assert.equal(enrolled.length, 3);
    for (const event of enrolled) {
      assert.equal(event.metadata.imported, true);
      assert.match(event.metadata.occurredAt, /^2025-08-2/);
      assert.ok(event.recordedAt.getTime() > Date.parse('2026-01-01'), 'recorded by the import, today');
    }
    const applied = events.find((e) => e.type === 'ApplicationSubmitted');
    assert.equal((applied?.data as { appliedAt: string }).appliedAt, '2025-09-10T10:00:00.000Z');
  });

  it('counts the past in GSI as of 1 October of that year', async () => {
    const gsi = await eventually(async () => {
      const response = await sut.request('GET', '/statistics/gsi/2025', { token: await sut.token('admin') });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as { items: { line: string; total: number; girls: number; boys: number }[] };
    });
    const line = (id: string) => gsi.items.find((item) => item.line === id);
    assert.equal(line('A4')?.total, 3, 'students');
    assert.equal(line('A5')?.total, 3, 'places');
    assert.equal(line('A6')?.total, 1, 'waiting children');
  });

  it('builds GSI of a past 1 October again when a later import reaches back before it', async () => {
    const token = await sut.token('admin');
    const late = [
      { ...offering('late:offering', 'Fiolin', 4), at: '2025-08-30T09:00:00+02:00' },
      person(5, '2014-02-02', 'male', '2025-09-02T08:00:00+02:00'),
      {
        key: 'late:place',
        at: '2025-09-02T09:00:00+02:00',
        command: 'enrolStudent',
        data: { offering: 'late:offering', ...student(5, 2014, 'male') },
      },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const report = await runImport(late, { baseUrl: sut.baseUrl, token, patienceMs: 20_000 });
    assert.equal(report.recorded, 3, JSON.stringify(report.refused));
    assert.deepEqual(report.droppedAsOfBuilds, ['gsi_2025']);
    const places = await eventually(async () => {
      const response = await sut.request('GET', '/statistics/gsi/2025', { token });
      const items = (response.body as { items?: { line: string; total: number }[] }).items ?? [];
      const total = items.find((item) => item.line === 'A5')?.total;
      assert.equal(total, 4);
      return total;
    });
    assert.equal(places, 4);
  });

  it('records nothing twice when the same file runs again', async () => {
    const count = async () =>
      (await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n;
    const before = await count();
    const again = await runImport(file, { baseUrl: sut.baseUrl, token: await sut.token('admin'), patienceMs: 20_000 });
    assert.equal(again.recorded, first.recorded);
    assert.deepEqual(
      again.refused.map((r) => r.key),
      ['place:4'],
    );
    assert.equal(await count(), before);
  });

  it('lets only an admin give a command its own time, never one in the future', async () => {
    const body = offering('x', 'Fiolin', 3).data;
    const send = async (role: 'admin' | 'caseworker', at: string) =>
      sut.request('POST', '/enrolment/offerings', {
        token: await sut.token(role),
        body,
        headers: { 'x-occurred-at': at, 'idempotency-key': randomUUID() },
      });
    assert.equal((await send('caseworker', '2025-03-01T09:00:00+01:00')).status, 403);
    const future = await send('admin', '2027-01-01T00:00:00Z');
    assert.equal(future.status, 400);
    assert.match(JSON.stringify(future.body), /X-Occurred-At is in the future/);
    assert.equal((await send('admin', '2025-03-01 09:00')).status, 400);
  });
});
