import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { EnrolmentHttpModule } from '#libs/enrolment';
import {
  feeWaiversProjection,
  fullWaiverUpTo4G,
  FUNDING_POLICY_OVERRIDES,
  fundingMigrations,
  FundingHttpModule,
  FundingPolicies,
  FundingProcessManager,
  gradedScheduleExample,
  householdStream,
  nok,
  type SemesterFeesAssessed,
} from '#libs/funding';
import { PeopleRegister, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { eventTypesOf, loadCheckpoint, projectionsMigrations, ProjectionsModule } from '#libs/projections';
import { eventually, fodselsnummerFor, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';

/*
 * The Hansen household of the domain's worked example (household-fees.worked-example.unit.spec.ts), over HTTP:
 * school year 2025-2026, the graded schedule, fee F = NOK 2,105.00 = 210 500 øre per place and semester, G 2025 =
 * NOK 130,160. Income NOK 451,234 lies between 3 G (390,480) and 4 G (520,640): pay 60%, so the waiver takes 40%.
 * Siblings by birth year: Anna (2011) #1, Bo (2013) #2, Cai (2016) #3 → 50% off Cai's first place (violin, enrolled
 * the day before his dance place). Enrolment records no cancelled lessons, so the worked example's refund lines are
 * not here. Bo gives notice on 18 Dec 2025, after the 10 Dec deadline: he owes spring 2026 as a late-withdrawal charge.
 *
 * Autumn 2025                          charge   sibling    waiver     total
 *   Anna piano                        210 500         0   −84 200   126 300
 *   Bo guitar                         210 500         0   −84 200   126 300
 *   Cai violin (child 3, 1st place)   210 500  −105 250   −42 100    63 150   42 100 = 40% of 105 250
 *   Cai dance                         210 500         0   −84 200   126 300
 *                                                            owes   442 050
 * Spring 2026
 *   Anna piano                        210 500         0   −84 200   126 300
 *   Bo guitar (late withdrawal)       210 500         0   −84 200   126 300
 *   Cai violin                        210 500  −105 250   −42 100    63 150
 *   Cai dance                         210 500         0   −84 200   126 300
 *                                                            owes   442 050
 */
const autumnTable = [
  ['anna-piano', 'BaseFee', 210_500],
  ['anna-piano', 'WaiverReduction', -84_200],
  ['bo-guitar', 'BaseFee', 210_500],
  ['bo-guitar', 'WaiverReduction', -84_200],
  ['cai-violin', 'BaseFee', 210_500],
  ['cai-violin', 'SiblingDiscount', -105_250],
  ['cai-violin', 'WaiverReduction', -42_100],
  ['cai-dance', 'BaseFee', 210_500],
  ['cai-dance', 'WaiverReduction', -84_200],
];
const springTable = [
  ['anna-piano', 'BaseFee', 210_500],
  ['anna-piano', 'WaiverReduction', -84_200],
  ['bo-guitar', 'LateWithdrawalCharge', 210_500],
  ['bo-guitar', 'WaiverReduction', -84_200],
  ['cai-violin', 'BaseFee', 210_500],
  ['cai-violin', 'SiblingDiscount', -105_250],
  ['cai-violin', 'WaiverReduction', -42_100],
  ['cai-dance', 'BaseFee', 210_500],
  ['cai-dance', 'WaiverReduction', -84_200],
];

// Distinctive incomes, so a search of every event and log line for them cannot match by chance.
const HANSEN_INCOME_NOK = 451_234;
const BERG_INCOME_NOK = 201_357;
const INCOME_TEXTS = ['451234', '451 234', '451,234', '45123400', '201357', '201 357', '201,357', '20135700'];

@Global()
@Module({
  providers: [
    {
      provide: FUNDING_POLICY_OVERRIDES,
      useValue: {
        '2025-2026': { incomeSchedule: gradedScheduleExample },
        '2026-2027': { baseAmountG: nok(130_160), incomeSchedule: gradedScheduleExample },
      },
    },
  ],
  exports: [FUNDING_POLICY_OVERRIDES],
})
class GradedSchedule {}

const FundingApp = platformWith(
  GradedSchedule,
  EnrolmentHttpModule,
  FundingHttpModule,
  ProjectionsModule.register({ projections: [feeWaiversProjection], run: true, idleMs: 25 }),
);

/** Every JSON log line the app writes (pino writes through fs to stdout), kept from the test output. */
const captureLogs = () => {
  const lines: string[] = [];
  const { write, writeSync } = fs;
  const isLog = (fd: unknown, data: unknown) =>
    (fd === 1 || fd === 2) &&
    (typeof data === 'string' || Buffer.isBuffer(data)) &&
    String(data).startsWith('{"level"');
  fs.writeSync = ((fd: number, data: string | Buffer, ...rest: unknown[]) => {
    if (!isLog(fd, data)) return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    lines.push(String(data));
    return Buffer.byteLength(data);
  }) as typeof fs.writeSync;
  fs.write = ((fd: number, data: string | Buffer, ...rest: unknown[]) => {
    if (!isLog(fd, data)) return (write as (...args: unknown[]) => void)(fd, data, ...rest);
    lines.push(String(data));
    const callback = rest.find((arg) => typeof arg === 'function') as ((e: null, n: number) => void) | undefined;
    callback?.(null, Buffer.byteLength(data));
  }) as typeof fs.write;
  return {
    lines,
    restore() {
      fs.writeSync = writeSync;
      fs.write = write;
    },
  };
};

const at = (instant: string) => new Date(instant);

const FUNDING_PROCESS_EVENT_TYPES = [
  'OfferingOpened',
  'PlaceEnrolled',
  'PlaceWithdrawn',
  'ChildPayerRegistered',
  'FeeWaiverGranted',
  'FeeWaiverRevoked',
  'FeeWaiverExpired',
];

interface StoredEvent {
  streamName: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

describe('funding end to end: a family of three children in four places, a partial waiver, a late withdrawal', () => {
  const clock = new AdjustableClock(at('2025-06-02T09:00:00Z'));
  const logs = captureLogs();
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  const offerings: Record<string, string> = {};
  const places: Record<string, string> = {};
  const child = {
    anna: '0b9c6a6e-1a11-4c1a-8a11-000000000a01',
    bo: '0b9c6a6e-1a11-4c1a-8a11-000000000b02',
    cai: '0b9c6a6e-1a11-4c1a-8a11-000000000c03',
    dina: '0b9c6a6e-1a11-4c1a-8a11-000000000d04',
  };
  const hansen = fodselsnummerFor('2000-04-12');
  const berg = fodselsnummerFor('2001-09-30');
  const lund = fodselsnummerFor('2002-01-15');
  let hansenId: string;
  let hansenApplication: string;
  let bergApplication: string;
  let nextYearApplication: string;

  // Straight from the table: what was written, whatever `$all`'s safe horizon lets a subscriber see yet.
  const allEvents = async (): Promise<StoredEvent[]> => {
    const { rows } = await sut.db.pool.query<{
      stream_name: string;
      event_type: string;
      data: unknown;
      metadata: unknown;
    }>('SELECT stream_name, event_type, data, metadata FROM es_events ORDER BY position');
    return rows.map((r) => ({ streamName: r.stream_name, type: r.event_type, data: r.data, metadata: r.metadata }));
  };
  const ofType = async (type: string) => (await allEvents()).filter((e) => e.type === type);
  const subjects = async () =>
    Number((await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM subject_keys')).rows[0]?.n);
  const post = (url: string, body: unknown, token = caseworker) => sut.request('POST', url, { token, body });
  const apply = (payerNationalId: string, householdIncomeNok: number, schoolYear = '2025-2026', householdSize = 5) =>
    post('/funding/fee-waivers/applications', { payerNationalId, householdSize, householdIncomeNok, schoolYear });
  const decide = (applicationId: string, body: unknown = {}, token = caseworker) =>
    post(`/funding/fee-waivers/applications/${applicationId}/decision`, body, token);
  const idOf = (response: { body: unknown }, field: string) => (response.body as Record<string, string>)[field] ?? '';

  /** The latest assessment of each semester in the household's stream: later ones replace earlier ones. */
  const latestAssessments = async (payerId: string) => {
    const stream = await sut.runtime.store.readStream(householdStream('trondheim', payerId));
    const latest = new Map<string, SemesterFeesAssessed['data']>();
    for (const event of stream) {
      const data = event.data as SemesterFeesAssessed['data'];
      latest.set(`${data.schoolYear}/${data.term}`, data);
    }
    return latest;
  };
  // A subscriber has caught up when no event of its types lies beyond its checkpoint (read from the table itself).
  const beyond = async (position: string | undefined, types: readonly string[]) =>
    position !== undefined &&
    (
      await sut.db.pool.query('SELECT 1 FROM es_events WHERE position > $1 AND event_type = ANY ($2) LIMIT 1', [
        position,
        types,
      ])
    ).rowCount === 0;
  const fundingProcessCaughtUp = () =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ position: string }>(
        "SELECT position FROM subscription_checkpoints WHERE name = 'funding'",
      );
      return beyond(rows[0]?.position, FUNDING_PROCESS_EVENT_TYPES);
    });
  // The read model is eventually consistent: wait until its checkpoint has passed every event it reads.
  const readModelCaughtUp = () =>
    eventually(async () =>
      beyond((await loadCheckpoint(sut.db.pool, 'fee_waivers@v1'))?.position, eventTypesOf(feeWaiversProjection) ?? []),
    );
  const placeName = (placeId: string) => Object.entries(places).find(([, id]) => id === placeId)?.[0] ?? placeId;
  const table = (assessment: SemesterFeesAssessed['data'] | undefined) =>
    assessment?.lines.map((line) => [placeName(line.placeId), line.kind, line.amount]);

  beforeAll(async () => {
    sut = await startAppUnderTest(FundingApp, {
      migrations: [...personalDataMigrations, ...projectionsMigrations, ...fundingMigrations],
      clock,
      env: { LOG_LEVEL: 'debug' },
    });
    caseworker = await sut.token('caseworker');
    admin = await sut.token('admin');
    // The children are known to the tenant's people register (as their waitlist applications make them) before a
    // payer can be registered for them.
    const people = sut.app.get(PeopleRegister, { strict: false });
    for (const [name, born] of [
      ['anna', '2011-03-01'],
      ['bo', '2013-05-02'],
      ['cai', '2016-07-03'],
      ['dina', '2014-09-04'],
    ] as const) {
      child[name] = (await people.subjectFor('trondheim', fodselsnummerFor(born))).subjectId;
    }
    // Subjects and centres of Trondheim's registers.
    for (const [name, subject, subjectGroup, location, district] of [
      ['piano', 'Piano', 'music', 'Midtbyen', 'Midtbyen'],
      ['guitar', 'Gitar', 'music', 'Huseby', 'Heimdal'],
      ['violin', 'Fiolin', 'music', 'Huseby', 'Heimdal'],
      ['dance', 'Dans', 'dance', 'Spongdal', 'Heimdal'],
    ] as const) {
      const opened = await post('/enrolment/offerings', {
        subject,
        subjectGroup,
        programme: 'core',
        location,
        district,
        form: 'group',
        capacity: 10,
        feePerSemesterNok: 2105,
        schoolYear: '2025-2026',
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      offerings[name] = idOf(opened, 'offeringId');
    }
  });
  afterAll(async () => {
    logs.restore();
    await sut.close();
  });

  it('registers the payer of each child, pseudonymously', async () => {
    for (const id of [child.anna, child.bo, child.cai]) {
      const registered = await sut.request('PUT', `/funding/children/${id}/payer`, {
        token: caseworker,
        body: { payerNationalId: hansen },
      });
      assert.equal(registered.status, 200, JSON.stringify(registered.body));
      hansenId = idOf(registered, 'payerId');
    }
    const events = await ofType('ChildPayerRegistered');
    assert.equal(events.length, 3);
    assert.ok(events.every((e) => (e.data as { payerId: string }).payerId === hansenId));
    assert.ok(
      !JSON.stringify(events.map((e) => [e.data, e.metadata])).includes(hansen),
      'no national id in the events',
    );
  });

  it('grants the Hansens a partial waiver at 60% by the graded schedule, without writing the income', async () => {
    const budget = await sut.request('PUT', '/funding/budgets/2025-2026', {
      token: admin,
      body: { maxAmountNok: 10_000, maxWaivers: 1 },
    });
    assert.equal(budget.status, 200, JSON.stringify(budget.body));

    const applied = await apply(hansen, HANSEN_INCOME_NOK);
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    hansenApplication = idOf(applied, 'applicationId');
    assert.equal(idOf(applied, 'householdId'), hansenId, 'the same payer, the same pseudonym');

    clock.set('2025-06-20T11:00:00Z');
    const decided = await decide(hansenApplication);
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.deepEqual(
      { ...(decided.body as object), revision: undefined },
      { applicationId: hansenApplication, decision: 'Granted', level: 'partial', payPercent: 60, revision: undefined },
    );
    const [granted] = await ofType('FeeWaiverGranted');
    const data = granted?.data as { level: string; payPercent: number; incomeRef: string; band: object };
    assert.equal(data.level, 'partial');
    assert.deepEqual(data.band, { upToG: 4, payPercent: 60 });
    assert.match(data.incomeRef, /^personal-data:[0-9a-f-]{36}\/householdIncome#/);
  });

  it('refuses a second grant beyond the budget until an admin overrides it, and records the override', async () => {
    const applied = await apply(berg, BERG_INCOME_NOK, '2025-2026', 3);
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    bergApplication = idOf(applied, 'applicationId');

    const before = (await allEvents()).length;
    const refused = await decide(bergApplication);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match((refused.body as { detail: string }).detail, /budget .* is exhausted \(count\).*admin override/);
    assert.equal((await allEvents()).length, before, 'a refused grant writes nothing');

    const byCaseworker = await decide(bergApplication, { budgetOverride: { reason: 'Head of school approved it' } });
    assert.equal(byCaseworker.status, 403);

    const overridden = await decide(
      bergApplication,
      { budgetOverride: { reason: 'Head of school approved it' } },
      admin,
    );
    assert.equal(overridden.status, 200, JSON.stringify(overridden.body));
    assert.equal((overridden.body as { level: string }).level, 'full');
    const allocated = (await ofType('WaiverAllocated')).map(
      (e) => e.data as { applicationId: string; override: unknown },
    );
    assert.deepEqual(allocated.find((a) => a.applicationId === bergApplication)?.override, {
      adminId: 'admin-1',
      reason: 'Head of school approved it',
      exceeded: ['count'],
    });
  });

  it('assesses each place for its semesters as soon as it is enrolled, siblings counted together', async () => {
    const enrol = async (name: string, offering: string, studentId: string, birthYear: number, district: string) => {
      const enrolled = await post(`/enrolment/offerings/${offerings[offering] ?? ''}/places`, {
        studentId,
        birthYear,
        gender: 'female',
        district,
        school: 'Nardo skole',
      });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      places[name] = idOf(enrolled, 'placeId');
    };
    clock.set('2025-08-18T08:00:00Z');
    await enrol('anna-piano', 'piano', child.anna, 2011, 'Midtbyen');
    await enrol('bo-guitar', 'guitar', child.bo, 2013, 'Heimdal');
    await enrol('cai-violin', 'violin', child.cai, 2016, 'Heimdal');
    clock.set('2025-08-19T08:00:00Z');
    await enrol('cai-dance', 'dance', child.cai, 2016, 'Heimdal');
    // A child of another family, with no payer registered: counted in the statistics, billed to nobody yet.
    await enrol('dina-dance', 'dance', child.dina, 2014, 'Heimdal');

    const latest = await eventually(async () => {
      const found = await latestAssessments(hansenId);
      return found.get('2025-2026/autumn')?.lines.length === 9 && found.get('2025-2026/spring')?.lines.length === 9
        ? found
        : undefined;
    });
    assert.deepEqual(table(latest.get('2025-2026/autumn')), autumnTable);
    const springBeforeWithdrawal = springTable.map((row) =>
      row[0] === 'bo-guitar' && row[1] === 'LateWithdrawalCharge' ? ['bo-guitar', 'BaseFee', 210_500] : row,
    );
    assert.deepEqual(table(latest.get('2025-2026/spring')), springBeforeWithdrawal);
  });

  it('decides a new school year by its own schedule, leaving decisions already made as they were', async () => {
    const policies = sut.app.get(FundingPolicies);
    policies.configure('2026-2027', { baseAmountG: nok(130_160), incomeSchedule: fullWaiverUpTo4G });
    // Even a change to the decided year's own configuration does not reach back into its decisions.
    policies.configure('2025-2026', { incomeSchedule: fullWaiverUpTo4G });

    const applied = await apply(hansen, HANSEN_INCOME_NOK, '2026-2027');
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    nextYearApplication = idOf(applied, 'applicationId');
    const decided = await decide(nextYearApplication);
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal((decided.body as { level: string }).level, 'full', 'the same income, the new schedule: a full waiver');
    const grants = (await ofType('FeeWaiverGranted')).map(
      (e) => e.data as { applicationId: string; payPercent: number },
    );
    assert.equal(grants.find((g) => g.applicationId === hansenApplication)?.payPercent, 60);
  });

  it('charges the late withdrawal and matches the hand-worked table for both semesters', async () => {
    clock.set('2025-12-18T10:00:00Z');
    const withdrawn = await post(
      `/enrolment/offerings/${offerings.guitar ?? ''}/places/${places['bo-guitar'] ?? ''}/withdraw`,
      {
        effectiveOn: '2025-12-31',
      },
    );
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal((withdrawn.body as { afterDeadline: boolean }).afterDeadline, true);

    // Reassessed after the schedule change: the 2025-2026 waiver still takes the 40% it was decided at.
    const latest = await eventually(async () => {
      const found = await latestAssessments(hansenId);
      return found.get('2025-2026/spring')?.lines.some((l) => l.kind === 'LateWithdrawalCharge') ? found : undefined;
    });
    assert.deepEqual(table(latest.get('2025-2026/autumn')), autumnTable);
    assert.equal(latest.get('2025-2026/autumn')?.owes, 442_050);
    assert.deepEqual(table(latest.get('2025-2026/spring')), springTable);
    assert.equal(latest.get('2025-2026/spring')?.owes, 442_050);
    const late = latest.get('2025-2026/spring')?.lines.find((l) => l.kind === 'LateWithdrawalCharge');
    assert.deepEqual(
      late?.kind === 'LateWithdrawalCharge' && { withdrawnOn: late.withdrawnOn, deadline: late.deadline },
      {
        withdrawnOn: '2025-12-18',
        deadline: '2025-12-10',
      },
    );
    assert.ok(latest.get('2025-2026/spring')?.replaces, 'the new spring assessment names the one it replaces');
    assert.equal(latest.get('2026-2027/autumn'), undefined, 'a withdrawal before the year ends owes nothing after it');
  });

  describe('bad input gets a clear 4xx and writes nothing', () => {
    const refuses = async (
      request: () => Promise<{ status: number; body: unknown }>,
      status: number,
      detail: RegExp,
    ): Promise<void> => {
      const events = (await allEvents()).length;
      const people = await subjects();
      const response = await request();
      assert.equal(response.status, status, JSON.stringify(response.body));
      const problem = response.body as { detail: string; errors?: { message: string }[] };
      const text = `${problem.detail} ${(problem.errors ?? []).map((e) => e.message).join(' ')}`;
      assert.match(text, detail);
      assert.equal((await allEvents()).length, events, 'no event written');
      assert.equal(await subjects(), people, 'no personal data stored');
    };

    it('refuses a negative income', () =>
      refuses(() => apply(lund, -1), 400, /householdIncomeNok must not be negative/));

    it('refuses a household size of 0', () =>
      refuses(() => apply(lund, 100_000, '2025-2026', 0), 400, /householdSize must be at least 1/));

    it('refuses a school year in the wrong format', async () => {
      await refuses(() => apply(lund, 100_000, '2025/26'), 400, /schoolYear must look like 2025-2026/);
      await refuses(
        () => apply(lund, 100_000, '2025-2027'),
        400,
        /schoolYear must look like 2025-2026: two consecutive/,
      );
      await refuses(() => apply(lund, 100_000, '0000-0001'), 400, /from 2000-2001 to 2099-2100/);
    });

    it('refuses a decision on an unknown application', () =>
      refuses(() => decide('5d9f1f7e-2b2b-4c3c-8d4d-5e5e5e5e5e5e'), 404, /No fee-waiver application/));

    it('refuses a second decision on a decided application', () =>
      refuses(
        () => decide(hansenApplication, { rejectionReason: 'Changed my mind' }),
        409,
        /already decided \(Granted\)/,
      ));
  });

  it('revokes a waiver with a reason and frees its place in the budget', async () => {
    const revoked = await post(`/funding/fee-waivers/applications/${nextYearApplication}/revoke`, {
      reason: 'The household moved out of the municipality',
    });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const released = (await ofType('WaiverReleased')).map((e) => (e.data as { applicationId: string }).applicationId);
    assert.deepEqual(released, [nextYearApplication]);
  });

  it('shows the fee-waivers read model: active waivers, amounts waived, budget, pending cases, reach', async () => {
    clock.set('2026-01-10T09:00:00Z');
    const pendingApplied = await apply(lund, 300_000, '2025-2026', 2);
    assert.equal(pendingApplied.status, 201);
    clock.set('2026-01-20T09:00:00Z');

    const get = async (url: string) => {
      const response = await sut.request('GET', url, { token: caseworker });
      assert.equal(response.status, 200, `${url}: ${JSON.stringify(response.body)}`);
      return response.body as never;
    };
    // The funding process may still be assessing; the read model must then catch up with it.
    await fundingProcessCaughtUp();
    await readModelCaughtUp();
    const active = (await get('/funding/fee-waivers/active?schoolYear=2025-2026')) as { total: number };
    assert.equal(active.total, 2);
    const partial = (await get('/funding/fee-waivers/active?schoolYear=2025-2026&level=partial&district=Midtbyen')) as {
      items: { applicationId: string; students: number; districts: string[]; subjectGroups: string[] }[];
    };
    assert.deepEqual(
      partial.items.map((w) => ({ ...w, decidedAt: undefined, householdId: undefined, schoolYear: undefined })),
      [
        {
          applicationId: hansenApplication,
          level: 'partial',
          payPercent: 60,
          students: 2, // Bo's place is withdrawn
          districts: ['Heimdal', 'Midtbyen'],
          subjectGroups: ['dance', 'music'],
          decidedAt: undefined,
          householdId: undefined,
          schoolYear: undefined,
        },
      ],
    );
    const paged = (await get('/funding/fee-waivers/active?schoolYear=2025-2026&page=2&pageSize=1')) as {
      items: unknown[];
      total: number;
    };
    assert.equal(paged.items.length, 1);
    assert.equal(paged.total, 2);
    const pastTheEnd = (await get('/funding/fee-waivers/active?schoolYear=2025-2026&page=3&pageSize=1')) as {
      items: unknown[];
      total: number;
    };
    assert.deepEqual([pastTheEnd.items.length, pastTheEnd.total], [0, 2]);

    const counts = (await get(
      '/funding/fee-waivers/active/counts?schoolYear=2025-2026&subjectGroup=dance',
    )) as object[];
    assert.deepEqual(counts, [
      {
        schoolYear: '2025-2026',
        level: 'partial',
        district: 'Heimdal',
        subjectGroup: 'dance',
        waivers: 1,
        students: 1,
      },
    ]);

    const semesters = (await get('/funding/fee-waivers/semesters?schoolYear=2025-2026')) as object[];
    assert.deepEqual(semesters, [
      { schoolYear: '2025-2026', term: 'autumn', waivedOre: 294_700, households: 1 },
      { schoolYear: '2025-2026', term: 'spring', waivedOre: 294_700, households: 1 },
    ]);

    const budget = (await get('/funding/fee-waivers/budget/2025-2026')) as Record<string, unknown>;
    assert.deepEqual(budget, {
      schoolYear: '2025-2026',
      maxAmountOre: 1_000_000,
      maxWaivers: 1,
      waivers: 2,
      // Hansen: what assessments waived (589 400) exceeds the estimate; Berg: the full estimate of one place-year.
      allocatedOre: 589_400 + 421_000,
      usedOre: 589_400,
      amountLeftOre: 1_000_000 - 1_010_400,
      waiversLeft: -1,
      overrides: 1,
    });

    const pending = (await get('/funding/fee-waivers/pending')) as {
      items: { ageDays: number; schoolYear: string }[];
      total: number;
    };
    assert.equal(pending.total, 1);
    assert.deepEqual(
      pending.items.map((p) => [p.schoolYear, p.ageDays]),
      [['2025-2026', 10]],
    );

    const reach = (await get('/funding/fee-waivers/reach?schoolYear=2025-2026')) as object[];
    const source =
      'Estimate: Trondheim-wide share of children in persistent low income, 2016 (kulturskoleplan); no district figures';
    assert.deepEqual(reach, [
      {
        district: 'Heimdal',
        students: 2,
        studentsWithWaiver: 1,
        waiverSharePercent: 50,
        lowIncomeReferencePercent: 7.5,
        referenceSource: source,
      },
      {
        district: 'Midtbyen',
        students: 1,
        studentsWithWaiver: 1,
        waiverSharePercent: 100,
        lowIncomeReferencePercent: 7.5,
        referenceSource: source,
      },
    ]);

    const refused = await sut.request('GET', '/funding/fee-waivers/active', { token: await sut.token('integration') });
    assert.equal(refused.status, 403);
  });

  it('expires the waivers when their school year ends by the clock, and bills nothing new for it', async () => {
    const assessments = (await ofType('SemesterFeesAssessed')).length;
    clock.set('2026-07-31T21:59:00Z');
    await sut.app.get(FundingProcessManager).expireEndedWaivers();
    assert.equal((await ofType('FeeWaiverExpired')).length, 0, 'not before 1 August in Oslo');
    clock.set('2026-07-31T22:00:00Z');
    await sut.app.get(FundingProcessManager).expireEndedWaivers();
    const expired = await eventually(async () => {
      const events = await ofType('FeeWaiverExpired');
      return events.length === 2 ? events : undefined;
    });
    assert.deepEqual(
      expired.map((e) => (e.data as { applicationId: string }).applicationId).sort(),
      [hansenApplication, bergApplication].sort(),
    );
    await eventually(async () => {
      const page = (await sut.request('GET', '/funding/fee-waivers/active?schoolYear=2025-2026', { token: admin }))
        .body as { total: number };
      return page.total === 0;
    });
    assert.equal((await ofType('SemesterFeesAssessed')).length, assessments);
  });

  it('never writes the income in the clear: not in any event, not in any log line', async () => {
    const written = JSON.stringify(await allEvents());
    for (const text of INCOME_TEXTS) assert.ok(!written.includes(text), `an event holds ${text}`);
    assert.ok(logs.lines.length > 20, `the logs were captured (${logs.lines.length} lines)`);
    for (const line of logs.lines) {
      for (const text of INCOME_TEXTS) assert.ok(!line.includes(text), `a log line holds ${text}: ${line}`);
    }
    const stored = await sut.db.pool.query<{ ciphertext: string }>(
      "SELECT ciphertext FROM personal_fields WHERE field = 'householdIncome'",
    );
    assert.equal(stored.rows.length, 3, 'three households declared an income');
    for (const row of stored.rows) for (const text of INCOME_TEXTS) assert.ok(!row.ciphertext.includes(text));
  });

  it('refunds from the third lesson the school cancelled (rule 11), line by line', async () => {
    const before = (await latestAssessments(hansenId)).get('2025-2026/autumn');
    assert.ok(before);
    const cancelled = await sut.request('PUT', `/enrolment/offerings/${offerings.piano ?? ''}/cancelled-lessons`, {
      token: caseworker,
      body: { schoolYear: '2025-2026', term: 'autumn', cancelledLessons: 4 },
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    const after = await eventually(async () => {
      const autumn = (await latestAssessments(hansenId)).get('2025-2026/autumn');
      return autumn?.lines.some((l) => l.kind === 'CancelledLessonsRefund') ? autumn : undefined;
    });
    const anna = after.lines.filter((l) => placeName(l.placeId) === 'anna-piano');
    const payable = anna.filter((l) => l.kind !== 'CancelledLessonsRefund').reduce((sum, l) => sum + l.amount, 0);
    const refund = anna.find((l) => l.kind === 'CancelledLessonsRefund');
    // Four cancelled, refunded from the third: two of eighteen lessons of what the household pays for the place.
    assert.deepEqual(
      refund?.kind === 'CancelledLessonsRefund' && [refund.cancelledLessons, refund.refundedLessons, refund.amount],
      [4, 2, -Math.floor((payable * 2) / 18)],
    );
    assert.equal(after.owes, before.owes + (refund?.amount ?? 0), 'the refund is the only change to what is owed');
    assert.equal(
      after.lines.filter((l) => l.kind === 'CancelledLessonsRefund').length,
      1,
      'only the piano place had lessons cancelled',
    );
  });
});
