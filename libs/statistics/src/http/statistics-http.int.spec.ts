import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { asOfTableSet } from '#libs/projections';
import { sampleOfferingOpened, testEvent, type AppUnderTest } from '#libs/testing';
import { countByHand } from '../fixtures/statistics-oracle.js';
import { appendTimed, statisticsHistory, type TimedEvent } from '../fixtures/statistics-history.js';
import { statisticsCaughtUp } from '../fixtures/caught-up.js';
import { statisticsProjection } from '../projection/statistics.projection.js';
import { startStatisticsApp } from '../fixtures/statistics-app.js';

const YEAR = 2025;
// Everything recorded by the end of 1 October 2025 (Oslo) is what GSI counts.
const GSI_CUTOFF = '2025-10-01T21:59:59.999Z';
const shape = {
  year: YEAR,
  offerings: 14,
  students: 160,
  applications: 90,
  kulturdagSchools: 3,
  pupilsPerSchool: 20,
  waivers: 25,
};
const trondheim = statisticsHistory({ tenant: 'trondheim', seed: 11, ...shape });
const malvik = statisticsHistory({ tenant: 'malvik', seed: 12, ...shape, students: 40, applications: 10 });
// Orkland, by hand: a transfer recorded on 1 September effective 1 November (piano → dance), and a child waiting in
// two music offerings and in visual arts, whose applications give male (March), female (May) and no gender (June).
const orkland: TimedEvent[] = (() => {
  const at = (recordAt: string, aggregate: string, type: string, data: Record<string, unknown>): TimedEvent => ({
    stream: `orkland.${type.startsWith('Application') ? 'waitlist' : 'enrolment'}.${aggregate}`,
    recordAt,
    event: testEvent('orkland', type, data, { occurredAt: recordAt }),
  });
  const opened = '2025-08-01T06:00:00.000Z';
  const offering = (offeringId: string, subject: string, subjectGroup: string) =>
    at(
      opened,
      `offering-${offeringId}`,
      'OfferingOpened',
      sampleOfferingOpened({ offeringId, subject, subjectGroup, openedAt: opened }),
    );
  const student = {
    studentId: 's-moves',
    birthYear: 2015,
    gender: 'female',
    district: 'Heimdal',
    school: 'tiller-skole',
  };
  const place = (offeringId: string, subjectGroup: string, placeId: string, enrolledAt: string, more = {}) =>
    at(enrolledAt, `offering-${offeringId}`, 'PlaceEnrolled', {
      ...{ offeringId, placeId, ...student, subjectGroup, programme: 'core', enrolledAt },
      ...{ viaOfferId: null, transferredFrom: null, ...more },
    });
  const application = (applicationId: string, offeringId: string, appliedOn: string, gender?: string) =>
    at(`${appliedOn}T08:00:00.000Z`, `offering-${offeringId}`, 'ApplicationSubmitted', {
      ...{ offeringId, applicationId, childId: 'c-twice', appliedAt: `${appliedOn}T08:00:00.000Z`, appliedOn },
      ...{ born: '2016-04', specialNeeds: false, hasPlace: false },
      ...(gender ? { dimensions: { gender, district: 'Heimdal', school: null } } : {}),
    });
  const transferredAt = '2025-09-01T08:00:00.000Z';
  return [
    offering('o-piano', 'Piano', 'music'),
    offering('o-gitar', 'Gitar', 'music'),
    offering('o-dans', 'Dans', 'dance'),
    offering('o-maling', 'Maling', 'visual-arts'),
    application('a-1', 'o-gitar', '2025-03-01', 'male'),
    application('a-2', 'o-piano', '2025-05-01', 'female'),
    application('a-3', 'o-maling', '2025-06-01'),
    place('o-piano', 'music', 'pl-old', '2025-08-20T08:00:00.000Z'),
    place('o-dans', 'dance', 'pl-new', transferredAt, {
      startsOn: '2025-11-01',
      transferredFrom: { offeringId: 'o-piano', placeId: 'pl-old' },
    }),
    at(transferredAt, 'offering-o-piano', 'PlaceTransferredOut', {
      ...{
        offeringId: 'o-piano',
        placeId: 'pl-old',
        studentId: 's-moves',
        toOfferingId: 'o-dans',
        toPlaceId: 'pl-new',
      },
      ...{ effectiveOn: '2025-11-01', transferredAt },
    }),
  ];
})();
const all: TimedEvent[] = [...trondheim, ...malvik, ...orkland];
const early = all.filter((e) => e.recordAt <= GSI_CUTOFF);
const late = all.filter((e) => e.recordAt > GSI_CUTOFF);

interface Body {
  items: Record<string, unknown>[];
  page?: { kind: string; nextCursor?: string | null; total?: number };
  summary?: Record<string, number>;
  totals?: Record<string, number>;
  freshness: { position: string; lastEventAt: string | null; tableSet: string; asOf: { name: string } | null };
}

describe('statistics over HTTP, built from events', () => {
  let sut: AppUnderTest;
  let auditor: string;
  let liveAfterEarly: Record<string, unknown[]>;
  const get = async (url: string, headers: Record<string, string> = {}, token = auditor) =>
    sut.request('GET', url, { token, headers });
  const body = async (url: string, token = auditor) => {
    const response = await get(url, {}, token);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body as Body;
  };
  const caughtUp = () => statisticsCaughtUp(sut.db.pool);
  const stats = (tables: readonly string[], schema: string) =>
    Promise.all(
      tables.map(async (table) => {
        const { rows } = await sut.db.pool.query(`SELECT * FROM "${schema}"."${table}" ORDER BY 1, 2, 3`);
        return [table, JSON.parse(JSON.stringify(rows)) as unknown[]] as const;
      }),
    ).then(Object.fromEntries);

  beforeAll(async () => {
    sut = await startStatisticsApp();
    auditor = await sut.token('auditor');
    await appendTimed(sut.runtime.store, early);
    // These were recorded in September 2025: the store cannot be told a time, so the test sets it as it was.
    const client = await sut.db.pool.connect();
    try {
      await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
      await client.query(`UPDATE es_events SET recorded_at = '2025-09-30T12:00:00Z'`);
      await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    } finally {
      client.release();
    }
    await caughtUp();
    liveAfterEarly = await stats(
      statisticsProjection.tables.map((t) => t.name),
      'public',
    );
    await appendTimed(sut.runtime.store, late);
    await caughtUp();
  });
  afterAll(async () => sut.close());

  it('counts students once, places and waiting children as the events say, on any day', async () => {
    for (const date of ['2025-09-15', '2025-11-20']) {
      const expected = countByHand(all, 'trondheim', date, YEAR);
      const { summary } = await body(`/statistics/summary?schoolYear=2025-2026&date=${date}`);
      assert.ok(expected.students > 50, 'the history has enough students to mean something');
      assert.equal(summary?.students, expected.students, date);
      assert.equal(summary?.places, expected.places, date);
      assert.equal(summary?.waitingChildren, expected.waitingChildren, date);
      assert.equal(summary?.studentsFemale, expected.byGender.female ?? 0);
      assert.equal(summary?.studentsMale, expected.byGender.male ?? 0);
      assert.equal(summary?.studentsGenderUnknown, expected.byGender.unknown ?? 0);
      assert.equal(summary?.studentsUnderPrimarySchoolAge, expected.byBand.under ?? 0);
      assert.equal(summary?.studentsInPrimarySchoolAge, expected.byBand.in ?? 0);
      assert.equal(summary?.studentsOverPrimarySchoolAge, expected.byBand.over ?? 0);
      assert.equal(summary?.studentsWithWaiver, expected.studentsWithWaiver);
      assert.ok(expected.students < expected.places, 'some students hold two places');
    }
  });

  it('breaks down by subject group with keyset paging, numbered pages, a filter and a sort', async () => {
    const expected = countByHand(all, 'trondheim', '2025-11-20', YEAR);
    const scope = 'schoolYear=2025-2026&date=2025-11-20';
    const seen: Record<string, unknown>[] = [];
    let url = `/statistics/breakdown/subjectGroup?${scope}&limit=4`;
    for (let pages = 0; pages < 10; pages++) {
      const page = await body(url);
      seen.push(...page.items);
      if (!page.page?.nextCursor) break;
      url = `/statistics/breakdown/subjectGroup?${scope}&limit=4&cursor=${page.page.nextCursor}`;
    }
    assert.deepEqual(
      Object.fromEntries(seen.map((row) => [row.group, [row.students, row.places, row.waiting]])),
      Object.fromEntries(
        Object.keys(expected.placesByGroup).map((group) => [
          group,
          [expected.studentsByGroup[group], expected.placesByGroup[group], expected.waitingByGroup[group] ?? 0],
        ]),
      ),
    );
    const numbered = await body(`/statistics/breakdown/subjectGroup?${scope}&page=2&pageSize=4`);
    assert.deepEqual(numbered.page, { kind: 'offset', page: 2, pageSize: 4, total: 6 });
    assert.equal(numbered.items.length, 2);
    const sorted = await body(`/statistics/breakdown/subjectGroup?${scope}&sort=-places`);
    const placeCounts = sorted.items.map((row) => Number(row.places));
    assert.deepEqual(
      placeCounts,
      [...placeCounts].sort((a, b) => b - a),
    );
    const music = await body(`/statistics/breakdown/subjectGroup?${scope}&group=music`);
    assert.deepEqual(
      music.items.map((row) => row.group),
      ['music'],
    );
    const inHeimdal = await body(`/statistics/breakdown/subjectGroup?${scope}&district=Heimdal`);
    const sumHeimdal = inHeimdal.items.reduce((sum, row) => sum + Number(row.places), 0);
    assert.ok(sumHeimdal > 0 && sumHeimdal < expected.places, 'a district is a slice of the places');
  });

  it('refuses unknown parameters, sorts and filters outside the whitelist, bad dates and mixed paging with 400', async () => {
    for (const url of [
      '/statistics/summary?role=admin',
      '/statistics/breakdown/subjectGroup?sort=tenant',
      '/statistics/breakdown/subjectGroup?limit=5&page=2',
      '/statistics/breakdown/subjectGroup?limit=100000',
      '/statistics/breakdown/nothing',
      '/statistics/summary?date=2025-02-30',
      '/statistics/summary?schoolYear=2025-2027',
      '/statistics/summary?schoolYear=2025-2026&date=2026-09-01',
      '/statistics/breakdown/subjectGroup?cursor=garbage',
    ]) {
      const response = await get(url);
      assert.equal(response.status, 400, url);
      assert.match(response.headers.get('content-type') ?? '', /problem\+json/);
    }
  });

  it('says how fresh it is, and answers 304 to a matching If-None-Match until the projection moves', async () => {
    const url = '/statistics/summary?schoolYear=2025-2026&date=2025-11-20';
    const first = await get(url);
    const etag = first.headers.get('etag') ?? '';
    const { rows } = await sut.db.pool.query<{ position: string; last_event_at: Date }>(
      `SELECT position::text, last_event_at FROM projection_checkpoints
        WHERE table_set = '${statisticsProjection.name}@v${statisticsProjection.version}'`,
    );
    const freshness = (first.body as Body).freshness;
    assert.equal(freshness.position, rows[0]?.position);
    assert.equal(freshness.lastEventAt, rows[0]?.last_event_at.toISOString());
    assert.equal(first.headers.get('x-read-model-position'), rows[0]?.position);
    assert.match(etag, /^W\/"/);
    const again = await get(url, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, undefined);
    const otherQuery = await get(`${url}&district=Heimdal`, { 'if-none-match': etag });
    assert.equal(otherQuery.status, 200);

    const extra = statisticsHistory({
      ...shape,
      tenant: 'trondheim',
      seed: 99,
      offerings: 1,
      students: 0,
      applications: 0,
    });
    const opened = extra.find((e) => e.event.type === 'OfferingOpened');
    assert.ok(opened);
    const data = { ...(opened.event.data as Record<string, unknown>), offeringId: 'extra' };
    await sut.runtime.store.appendToStream('trondheim.enrolment.offering-extra', [{ ...opened.event, data }], {
      expectedRevision: 'any',
    });
    await caughtUp();
    const moved = await get(url, { 'if-none-match': etag });
    assert.equal(moved.status, 200);
    assert.notEqual(moved.headers.get('etag'), etag);
  });

  it('keeps an answer only while the read model stands still: each new event is in the next answer (issue 18)', async () => {
    const hitra = statisticsHistory({ ...shape, tenant: 'hitra', seed: 31, students: 12, applications: 6 });
    const byHand = (events: TimedEvent[]) => countByHand(events, 'hitra', '2026-06-01', YEAR).places;
    // The split: the last events whose arrival changes the count.
    let split = hitra.length - 1;
    while (split > 0 && byHand(hitra.slice(0, split)) === byHand(hitra)) split--;
    const lastPlace = split;
    assert.ok(lastPlace > 0);
    const hitraToken = await sut.token('auditor', 'hitra');
    const url = '/statistics/summary?schoolYear=2025-2026&date=2026-06-01';
    await appendTimed(sut.runtime.store, hitra.slice(0, lastPlace));
    await caughtUp();
    const before = await body(url, hitraToken);
    const again = await body(url, hitraToken);
    assert.deepEqual(again, before, 'the same position gives the same answer');
    await appendTimed(sut.runtime.store, hitra.slice(lastPlace));
    await caughtUp();
    const after = await body(url, hitraToken);
    assert.equal(before.summary?.places, byHand(hitra.slice(0, lastPlace)));
    assert.equal(after.summary?.places, byHand(hitra));
    assert.notEqual(byHand(hitra), byHand(hitra.slice(0, lastPlace)), 'the last events change the figure');
    assert.notEqual(after.freshness.position, before.freshness.position);
  });

  it('exports CSV on Accept: text/csv or ?format=csv, escaped and with formulas defused', async () => {
    const url = '/statistics/breakdown/school?schoolYear=2025-2026&date=2025-11-20';
    const byAccept = await get(url, { accept: 'text/csv' });
    const byFormat = await get(`${url}&format=csv`);
    for (const response of [byAccept, byFormat]) {
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(response.headers.get('content-disposition') ?? '', /statistics-breakdown\.csv/);
      const lines = String(response.body).split('\r\n');
      assert.equal(lines[0], 'group,students,places,waiting');
      assert.ok(
        lines.some((line) => line.startsWith("'=SUM(1+1),")),
        'the formula-like school is defused',
      );
      assert.ok(!lines.some((line) => line.startsWith('=')));
    }
    assert.ok(byAccept.headers.get('etag'));
    assert.notEqual(byAccept.headers.get('etag'), (await get(url)).headers.get('etag'), 'CSV and JSON differ');
  });

  it("keeps tenants apart: each sees only its own municipality's figures", async () => {
    const date = '2025-11-20';
    const url = `/statistics/summary?schoolYear=2025-2026&date=${date}`;
    const malvikToken = await sut.token('auditor', 'malvik');
    const mine = await body(url, malvikToken);
    assert.equal(mine.summary?.students, countByHand(all, 'malvik', date, YEAR).students);
    assert.equal((await body(url)).summary?.students, countByHand(all, 'trondheim', date, YEAR).students);
    const nobody = await body(url, await sut.token('auditor', 'oslo'));
    assert.equal(nobody.summary?.students, 0);
  });

  it('lets auditors and admins read statistics, not caseworkers', async () => {
    assert.equal((await get('/statistics/summary', {}, await sut.token('caseworker'))).status, 403);
    assert.equal((await get('/statistics/summary', {}, await sut.token('admin'))).status, 200);
    assert.equal((await sut.request('GET', '/statistics/summary')).status, 401);
  });

  it('reports GSI section A as of 1 October from an as-of build, equal to counts by hand of what was known then', async () => {
    const response = await get('/statistics/gsi/2025');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const report = response.body as Body;
    assert.equal(report.freshness.asOf?.name, 'gsi_2025');
    const expected = countByHand(early, 'trondheim', '2025-10-01', YEAR);
    const line = (id: string) => report.items.find((item) => item.line === id);
    for (const [id, band] of [
      ['A1', 'under'],
      ['A2', 'in'],
      ['A3', 'over'],
    ] as const) {
      assert.deepEqual(
        [line(id)?.girls, line(id)?.boys, line(id)?.total],
        [
          expected.studentsByBandGender[`${band}/female`] ?? 0,
          expected.studentsByBandGender[`${band}/male`] ?? 0,
          expected.byBand[band] ?? 0,
        ],
        id,
      );
    }
    assert.equal(line('A4')?.total, expected.students);
    assert.equal(line('A5')?.total, expected.places);
    assert.equal(line('A6')?.total, expected.waitingChildren);
    assert.equal(line('A5.1')?.total, expected.placesByGroup.music ?? 0);
    assert.equal(line('A6.1')?.total, expected.waitingByGroup.music ?? 0);
    // Each waiting child once per group and once in all, with the child's one gender.
    for (const [n, group] of ['music', 'dance', 'theatre', 'visual-arts', 'sami', 'other'].entries()) {
      const count = (gender: string) => expected.waitingByGroupGender[`${group}/${gender}`] ?? 0;
      assert.deepEqual(
        [line(`A6.${n + 1}`)?.girls, line(`A6.${n + 1}`)?.boys, line(`A6.${n + 1}`)?.total],
        [count('female'), count('male'), expected.waitingByGroup[group] ?? 0],
        group,
      );
    }
    assert.deepEqual(
      [line('A6')?.girls, line('A6')?.boys],
      [expected.waitingByGender.female ?? 0, expected.waitingByGender.male ?? 0],
    );
    // What was recorded later (a late withdrawal, new places) does not change the count taken on 1 October.
    const liveThen = countByHand(all, 'trondheim', '2025-10-01', YEAR);
    assert.notDeepEqual([liveThen.places, liveThen.waitingChildren], [expected.places, expected.waitingChildren]);

    const csv = await get('/statistics/gsi/2025?format=csv');
    assert.equal(csv.status, 200);
    const lines = String(csv.body).trim().split('\r\n');
    assert.equal(lines[0], 'line,measure,group,girls,boys,genderUnknown,total');
    assert.equal(lines.length, 1 + report.items.length);
    assert.equal((await get('/statistics/gsi/2999')).status, 400);
    assert.equal((await get('/statistics/gsi/abc')).status, 400);
  });

  it('builds as of an instant exactly what the live model held at that instant, for the tenant only', async () => {
    await get('/statistics/gsi/2025'); // made on demand above; idempotent
    const asOf = await stats(
      statisticsProjection.tables.map((t) => t.name),
      asOfTableSet('trondheim', 'gsi_2025').schema,
    );
    // The tenant's build holds the tenant's rows, exactly as the live model had them; no other tenant's.
    const trondheimRows = Object.fromEntries(
      Object.entries(liveAfterEarly).map(([table, rows]) => [
        table,
        rows.filter((row) => (row as { tenant: string }).tenant === 'trondheim'),
      ]),
    );
    assert.deepEqual(asOf, trondheimRows);
    const statsAsOf = await body('/statistics/summary?asOf=gsi_2025&schoolYear=2025-2026&date=2025-10-01');
    assert.equal(statsAsOf.summary?.places, countByHand(early, 'trondheim', '2025-10-01', YEAR).places);
    assert.equal((await get('/statistics/summary?asOf=no_such_build')).status, 404);
  });

  it("gives each tenant its own GSI build: another tenant's build of the same name neither blocks nor answers", async () => {
    const malvikToken = await sut.token('auditor', 'malvik');
    // Malvik builds gsi_2024 first; Trondheim's gsi_2024 is its own build (no 409).
    const first = await get('/statistics/gsi/2024', {}, malvikToken);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal((first.body as Body).freshness.tableSet, 'asof:malvik:gsi_2024');
    const second = await get('/statistics/gsi/2024');
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal((second.body as Body).freshness.tableSet, 'asof:trondheim:gsi_2024');
    // A build another tenant made is not there for ?asOf=: Oslo has built nothing, Malvik no gsi_2025 yet.
    const oslo = await sut.token('auditor', 'oslo');
    assert.equal((await get('/statistics/summary?asOf=gsi_2024', {}, oslo)).status, 404);
    const url = '/statistics/summary?asOf=gsi_2025&schoolYear=2025-2026&date=2025-10-01';
    assert.equal((await get(url, {}, malvikToken)).status, 404, "Trondheim's gsi_2025 is not Malvik's");
    // Each build holds its tenant's events only.
    const malvik = await get('/statistics/gsi/2025', {}, malvikToken);
    assert.equal(malvik.status, 200, JSON.stringify(malvik.body));
    const tenantsIn = async (tenant: string) =>
      (
        await sut.db.pool.query<{ tenant: string; n: string }>(
          `SELECT tenant, count(*) AS n FROM "${asOfTableSet(tenant, 'gsi_2025').schema}"."stat_places" GROUP BY 1`,
        )
      ).rows.map((row) => row.tenant);
    assert.deepEqual(await tenantsIn('malvik'), ['malvik']);
    assert.deepEqual(await tenantsIn('trondheim'), ['trondheim']);
    const mine = await body(url, malvikToken);
    assert.equal(mine.summary?.places, countByHand(early, 'malvik', '2025-10-01', YEAR).places);
  });

  it('counts a transferred student in one place a day: the old one through the day before, the new one from then', async () => {
    const token = await sut.token('auditor', 'orkland');
    const placesByGroup = async (date: string) => {
      const { items } = await body(`/statistics/breakdown/subjectGroup?schoolYear=2025-2026&date=${date}`, token);
      return Object.fromEntries(items.filter((row) => Number(row.places) > 0).map((row) => [row.group, row.places]));
    };
    for (const [date, held] of [
      ['2025-09-02', { music: 1 }],
      ['2025-10-01', { music: 1 }],
      ['2025-10-31', { music: 1 }],
      ['2025-11-01', { dance: 1 }],
      ['2025-11-02', { dance: 1 }],
    ] as const) {
      const { summary } = await body(`/statistics/summary?schoolYear=2025-2026&date=${date}`, token);
      assert.deepEqual([summary?.students, summary?.places], [1, 1], date);
      assert.deepEqual(await placesByGroup(date), held, date);
      assert.equal(countByHand(all, 'orkland', date, YEAR).places, 1, `the oracle agrees on ${date}`);
    }
  });

  it('counts a waiting child once per subject group and once in all, with the gender of its latest application', async () => {
    const response = await get('/statistics/gsi/2025', {}, await sut.token('auditor', 'orkland'));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const lines = Object.fromEntries(
      (response.body as Body).items.map((item) => [item.line, [item.girls, item.boys, item.genderUnknown, item.total]]),
    );
    assert.deepEqual(lines['A6.1'], [1, 0, 0, 1], 'music: one child, female (May), not once per gender');
    assert.deepEqual(lines['A6.4'], [1, 0, 0, 1], 'visual arts: an application without a gender keeps the child’s');
    assert.deepEqual(lines.A6, [1, 0, 0, 1], 'in all: once, the latest gender, not the alphabetically larger');
    const expected = countByHand(early, 'orkland', '2025-10-01', YEAR);
    assert.deepEqual(expected.waitingByGroupGender, { 'music/female': 1, 'visual-arts/female': 1 });
    assert.deepEqual(lines['A5.1'], [1, 0, 0, 1], 'music: the place before the transfer');
    assert.deepEqual(lines['A5.2'], [0, 0, 0, 0], 'dance: the transfer is not effective yet');
  });

  it('answers coverage per district against the estimated reference population, and Kulturdag conversion', async () => {
    const coverage = await body('/statistics/coverage?schoolYear=2025-2026&date=2025-11-20');
    const heimdal = coverage.items.find((row) => row.district === 'Heimdal');
    assert.equal(heimdal?.children6to15, 5417);
    assert.equal(heimdal?.populationBasis, 'estimate');
    assert.equal(heimdal?.coveragePercent, Math.round((1000 * Number(heimdal?.students6to15)) / 5417) / 10);
    const kulturdag = await body('/statistics/kulturdag?schoolYear=2025-2026&date=2026-06-30');
    assert.equal(kulturdag.totals?.schools, 3);
    assert.equal(kulturdag.totals?.pupilsReached, 60);
    const pupilsWithCorePlace = new Set(
      all
        .filter((e) => e.stream.startsWith('trondheim.') && e.event.type === 'PlaceEnrolled')
        .map((e) => (e.event.data as { studentId: string }).studentId)
        .filter((id) => id.startsWith('k')),
    );
    assert.equal(kulturdag.totals?.gotCorePlace, pupilsWithCorePlace.size);
    assert.ok((kulturdag.totals?.appliedForCore ?? 0) >= pupilsWithCorePlace.size);
  });
});
