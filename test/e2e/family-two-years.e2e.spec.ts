import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { admissionMigrations, AdmissionModule, PlaceReregistrationProcessManager } from '#libs/admission';
import { EnrolmentHttpModule, offeringsProjection } from '#libs/enrolment';
import { fundingMigrations, FundingHttpModule, householdStream, type SemesterFeesAssessed } from '#libs/funding';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, PoliciesHttpModule } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations, type Projection } from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

/*
 * Issue 14: two school years of the Dahl family over HTTP, checked against figures worked out by hand from the domain
 * brief's rules (8 fee, 9 sibling discount, 10 waiver, 6 re-registration) and Trondheim's defaults.
 *
 * The guardian applies in August 2025 for three children, one subject each; seats are free, so each is offered and
 * accepts. Fee F = NOK 2,105.00 = 210 500 øre per place and semester. Siblings are numbered oldest first among the
 * payer's children with a billed place; 50% off the first place of the third.
 *
 * 2025–26, autumn and spring alike (no waiver applied for):
 *   Ida  (2012, #1) piano      210 500
 *   Jon  (2014, #2) guitar     210 500
 *   Kari (2016, #3) violin     210 500 − 105 250 sibling discount
 *                              owes 526 250
 * Spring 2026: asked to re-register, Ida continues, Jon quits (his place ends 31 July 2026), Kari does not answer
 * (Trondheim: silence continues). The rollover opens 2026–27 and continues Ida's and Kari's places from 1 August.
 * For 2026–27 the admin enters G (the test's figure: NOK 130,160) and the graded schedule (≤3 G pays 30%, ≤4 G 60%);
 * the household's income, NOK 455,555, lies between 3 G (390,480) and 4 G (520,640): it pays 60%.
 *
 * 2026–27, autumn and spring alike:
 *   Ida  (#1) piano            210 500 − 84 200 waiver (40%)
 *   Kari (#2) violin           210 500 − 84 200 waiver: with Jon gone she is the second child, no sibling discount
 *                              owes 252 600
 * Piano has one seat: Kari also applies for it in September 2025 and waits; she reconfirms for 2026–27 in April and
 * her entry carries over to the new piano offering, whose one seat Ida's continuing place holds.
 * Statistics: 3 students, 3 places and 1 waiting child on 1 October 2025 (students and places to 31 July 2026);
 * 2 students, 2 places and 1 waiting child on 1 October 2026.
 */
const App = platformWith(
  PoliciesHttpModule,
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  FundingHttpModule,
  ProjectionsModule.register({ projections: [offeringsProjection, statisticsProjection], run: true, idleMs: 20 }),
  StatisticsModule,
);

const FIRST_YEAR = '2025-2026';
const NEXT_YEAR = '2026-2027';
const F = 210_500;
const GUARDIAN = fodselsnummerFor('1983-03-13');
const CHILDREN = [
  ['Ida', '2012-03-03', 'Piano'],
  ['Jon', '2014-05-05', 'Gitar'],
  ['Kari', '2016-09-09', 'Fiolin'],
] as const;
type Name = (typeof CHILDREN)[number][0];

describe('a family of three children over two school years (issue 14)', () => {
  const clock = new AdjustableClock(new Date('2025-08-04T09:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  let payerId = '';
  let pianoApplicationId = '';
  const offeringOf: Record<string, string> = {}; // subject → 2025–26 offering
  const child = {} as Record<Name, { childId: string; placeId: string }>;

  const ok = (response: { status: number; body: unknown }, status = 200) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body as Record<string, unknown>;
  };
  const post = (path: string, body: object, token = caseworker) => sut.request('POST', path, { token, body });
  const nameOf = (childId: string) => CHILDREN.find(([name]) => child[name].childId === childId)?.[0];

  /** The payer's latest assessment of each semester, once the funding process has made one owing `owes`. */
  const feesOf = (schoolYear: string, term: 'autumn' | 'spring', owes: number) =>
    eventually(async () => {
      const history = await sut.runtime.store.readStream(householdStream('trondheim', payerId));
      const latest = history
        .map((e) => e.data as SemesterFeesAssessed['data'])
        .filter((a) => a.schoolYear === schoolYear && a.term === term)
        .at(-1);
      return latest?.owes === owes ? latest : undefined;
    }, 20_000);
  const linesOf = (assessment: SemesterFeesAssessed['data']) =>
    assessment.lines
      .map((l) => [nameOf(l.childId), l.kind, l.amount])
      .sort((a, b) => String(a).localeCompare(String(b)));

  /** A read model's answer once it has applied every committed event it reads. */
  const readModel = async <T>(projection: Projection, path: string): Promise<T> =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ head: string | null }>(
        'SELECT max(position)::text AS head FROM es_events WHERE event_type = ANY ($1)',
        [projection.eventTypes],
      );
      const response = await sut.request('GET', path, { token: admin });
      const body = response.body as T & { freshness?: { position: string } };
      return response.status === 200 && BigInt(body.freshness?.position ?? '-1') >= BigInt(rows[0]?.head ?? '0')
        ? body
        : undefined;
    });
  const summary = async (schoolYear: string, date: string) =>
    (
      await readModel<{ summary: Record<string, number> }>(
        statisticsProjection,
        `/statistics/summary?schoolYear=${schoolYear}&date=${date}`,
      )
    ).summary;
  const reregistrationDay = async () => {
    await eventually(async () => {
      const { rows } = await sut.db.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM admission_place_reregistrations',
      );
      return Number(rows[0]?.n) >= CHILDREN.length;
    });
    await sut.app.get(PlaceReregistrationProcessManager).runDueReregistrations();
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(App, {
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...projectionsMigrations,
        ...fundingMigrations,
        ...statisticsMigrations,
      ],
      clock,
    });
    caseworker = await sut.token('caseworker');
    admin = await sut.token('admin');
  });
  afterAll(async () => sut?.close());

  it('2025–26: applies for three children, each is offered a seat and accepts, and the guardian pays', async () => {
    for (const [, , subject] of CHILDREN) {
      const opened = ok(
        await post('/enrolment/offerings', {
          ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
          ...{
            form: 'individual',
            capacity: subject === 'Piano' ? 1 : 2,
            feePerSemester: '2105.00',
            schoolYear: FIRST_YEAR,
          },
        }),
        201,
      );
      offeringOf[subject] = opened.offeringId as string;
    }
    await eventually(async () => (await committedEvents(sut.db.pool, ['WaitlistOpened'])).length === 3);

    for (const [name, born, subject] of CHILDREN) {
      const applied = ok(
        await post(`/waitlist/offerings/${offeringOf[subject]}/applications`, {
          child: { name, nationalId: fodselsnummerFor(born), gender: 'female', district: 'Heimdal' },
          guardian: { name: 'Siri Dahl', email: 'siri.dahl@example.no', nationalId: GUARDIAN },
          specialNeeds: false,
        }),
        201,
      );
      child[name] = { childId: applied.childId as string, placeId: '' };
    }
    // Admission offers each child the free seat; the family accepts every offer.
    const offers = await eventually(async () => {
      const offered = await committedEvents(sut.db.pool, ['PlaceOffered']);
      return offered.length === 3 ? offered.map((e) => e.data as { offerId: string; offeringId: string }) : undefined;
    });
    for (const { offerId, offeringId } of offers)
      ok(await post(`/waitlist/offerings/${offeringId}/offers/${offerId}/accept`, {}));
    const places = await eventually(async () => {
      const placed = await committedEvents(sut.db.pool, ['PlaceEnrolled']);
      return placed.length === 3 ? placed.map((e) => e.data as { studentId: string; placeId: string }) : undefined;
    });
    for (const { studentId, placeId } of places) child[nameOf(studentId) as Name].placeId = placeId;

    // The guardian who applied is every child's payer: one household, so rule 9 counts the three together.
    const payers = await eventually(async () => {
      const registered = await committedEvents(sut.db.pool, ['ChildPayerRegistered']);
      return registered.length === 3 ? registered.map((e) => e.data as { payerId: string }) : undefined;
    });
    payerId = payers[0]?.payerId ?? '';
    assert.ok(payers.every((p) => p.payerId === payerId));

    for (const term of ['autumn', 'spring'] as const) {
      const fees = await feesOf(FIRST_YEAR, term, 3 * F - F / 2);
      assert.deepEqual(linesOf(fees), [
        ['Ida', 'BaseFee', F],
        ['Jon', 'BaseFee', F],
        ['Kari', 'BaseFee', F],
        ['Kari', 'SiblingDiscount', -F / 2],
      ]);
    }
  });

  it('2025–26: Kari also applies for piano, which is full, and waits', async () => {
    clock.set('2025-09-01T09:00:00Z');
    const applied = ok(
      await post(`/waitlist/offerings/${offeringOf.Piano}/applications`, {
        child: { name: 'Kari', nationalId: fodselsnummerFor('2016-09-09'), gender: 'female', district: 'Heimdal' },
        guardian: { name: 'Siri Dahl', email: 'siri.dahl@example.no', nationalId: GUARDIAN },
        specialNeeds: false,
      }),
      201,
    );
    assert.equal(applied.childId, child.Kari.childId, 'the same child, known by her number');
    pianoApplicationId = applied.applicationId as string;
    clock.set('2026-04-05T09:00:00Z');
    ok(
      await post(`/waitlist/offerings/${offeringOf.Piano}/applications/${pianoApplicationId}/reconfirm`, {
        schoolYear: NEXT_YEAR,
      }),
    );
    // Once admission has handled her application, still no offer: the one seat is Ida's.
    await eventually(async () => {
      const { rows } = await sut.db.pool.query<{ handled: boolean }>(
        `SELECT (SELECT position FROM subscription_checkpoints WHERE name = 'admission')
                  >= (SELECT max(position) FROM es_events WHERE event_type = 'ApplicationSubmitted') AS handled`,
      );
      return rows[0]?.handled === true;
    });
    assert.equal((await committedEvents(sut.db.pool, ['PlaceOffered'])).length, 3, 'no seat to offer her');
  });

  it('spring 2026: Ida continues, Jon quits, Kari stays silent; the rollover continues two places', async () => {
    clock.set('2026-04-01T07:00:00Z');
    await reregistrationDay();
    const asked = (await committedEvents(sut.db.pool, ['PlaceReregistrationRequested'])).map(
      (e) => (e.data as { placeId: string }).placeId,
    );
    assert.deepEqual(asked.sort(), CHILDREN.map(([name]) => child[name].placeId).sort());

    clock.set('2026-04-12T09:00:00Z');
    for (const [name, answer] of [
      ['Ida', true],
      ['Jon', false],
    ] as const)
      ok(await post(`/enrolment/places/${child[name].placeId}/reregistration`, { continue: answer }));
    clock.set('2026-05-02T07:00:00Z');
    await reregistrationDay();
    const answers = (await committedEvents(sut.db.pool, ['PlaceReregistered'])).map(
      (e) => e.data as { placeId: string; answer: string },
    );
    assert.deepEqual(
      answers.map((a) => [a.placeId, a.answer]),
      [
        [child.Ida.placeId, 'reply'],
        [child.Kari.placeId, 'silence'],
      ],
    );
    const quit = (await committedEvents(sut.db.pool, ['PlaceQuitAtYearEnd'])).map(
      (e) => e.data as { placeId: string; lastDay: string },
    );
    assert.deepEqual(
      quit.map((q) => [q.placeId, q.lastDay]),
      [[child.Jon.placeId, '2026-07-31']],
    );

    clock.set('2026-06-10T09:00:00Z');
    const rolled = ok(await post(`/enrolment/school-years/${NEXT_YEAR}/rollover`, {}, admin)) as {
      offerings: { fromOfferingId: string; continuedPlaces: number }[];
    };
    assert.deepEqual(
      CHILDREN.map(
        ([, , subject]) => rolled.offerings.find((o) => o.fromOfferingId === offeringOf[subject])?.continuedPlaces,
      ),
      [1, 0, 1],
    );
    const continued = await eventually(async () => {
      const placed = (await committedEvents(sut.db.pool, ['PlaceEnrolled']))
        .map((e) => e.data as { studentId: string; continuesFrom?: { placeId: string } })
        .filter((p) => p.continuesFrom);
      return placed.length === 2 ? placed : undefined;
    });
    assert.deepEqual(continued.map((p) => nameOf(p.studentId)).sort(), ['Ida', 'Kari']);
    const carried = await eventually(async () => {
      const submitted = (await committedEvents(sut.db.pool, ['ApplicationSubmitted']))
        .map((e) => e.data as { childId: string; offeringId: string; appliedAt: string })
        .filter((d) => !Object.values(offeringOf).includes(d.offeringId));
      return submitted.length === 1 ? submitted : undefined;
    });
    assert.deepEqual(
      carried.map((d) => [nameOf(d.childId), d.appliedAt]),
      [['Kari', '2025-09-01T09:00:00.000Z']],
      'her entry waits on the new piano offering with its first date',
    );
  });

  it('2026–27: a partial waiver by the graded schedule, and no sibling discount with two children billed', async () => {
    clock.set('2026-08-20T09:00:00Z');
    ok(
      await sut.request('PUT', `/policies/funding/${NEXT_YEAR}`, {
        token: admin,
        body: {
          rules: {
            baseAmountG: 13_016_000,
            incomeSchedule: [
              { upToG: 2, payPercent: 0 },
              { upToG: 3, payPercent: 30 },
              { upToG: 4, payPercent: 60 },
            ],
          },
          reason: 'Vedtak om redusert betaling 2026–27 (the test’s G)',
        },
      }),
    );
    const applied = ok(
      await post('/funding/fee-waivers/applications', {
        ...{ payerNationalId: GUARDIAN, householdSize: 5, householdIncomeNok: 455_555, schoolYear: NEXT_YEAR },
      }),
      201,
    );
    const decided = ok(await post(`/funding/fee-waivers/applications/${applied.applicationId as string}/decision`, {}));
    assert.deepEqual([decided.level, decided.payPercent], ['partial', 60]);

    for (const term of ['autumn', 'spring'] as const) {
      const fees = await feesOf(NEXT_YEAR, term, 2 * (F - 84_200));
      assert.deepEqual(linesOf(fees), [
        ['Ida', 'BaseFee', F],
        ['Ida', 'WaiverReduction', -84_200],
        ['Kari', 'BaseFee', F],
        ['Kari', 'WaiverReduction', -84_200],
      ]);
    }
    // The first year's bills stand as they were: the waiver is for 2026–27 only, Jon's year is paid in full.
    for (const term of ['autumn', 'spring'] as const) await feesOf(FIRST_YEAR, term, 3 * F - F / 2);
  });

  it('counts three students in 2025–26 to its last day and two in 2026–27, by summary and by GSI', async () => {
    clock.set('2026-10-02T09:00:00Z');
    const counts = (s: Record<string, number>) => [s.students, s.places, s.waitingChildren];
    assert.deepEqual(counts(await summary(FIRST_YEAR, '2025-10-01')), [3, 3, 1]);
    assert.deepEqual((await summary(FIRST_YEAR, '2026-07-31')).places, 3, 'Jon until the year ends');
    assert.deepEqual(counts(await summary(NEXT_YEAR, '2026-08-01')), [2, 2, 1]);
    assert.deepEqual(counts(await summary(NEXT_YEAR, '2026-10-01')), [2, 2, 1]);

    // GSI counts what was recorded by 1 October; the store records at the machine's time, not the test's clock, so
    // (as the statistics specs do) each event gets the recording time its command had.
    const client = await sut.db.pool.connect();
    try {
      await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
      await client.query(`UPDATE es_events SET recorded_at = (metadata->>'occurredAt')::timestamptz`);
      await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    } finally {
      client.release();
    }
    const gsi = async (year: number) => {
      const body = ok(await sut.request('GET', `/statistics/gsi/${year}`, { token: admin })) as {
        items: { line: string; total: number }[];
      };
      const line = (id: string) => body.items.find((item) => item.line === id)?.total;
      return [line('A4'), line('A5'), line('A6')];
    };
    assert.deepEqual(await gsi(2025), [3, 3, 1], 'students, places and waiting children as of 1 October 2025');
    assert.deepEqual(await gsi(2026), [2, 2, 1], 'students, places and waiting children as of 1 October 2026');
  });
});
