import assert from 'node:assert/strict';
import { answerDeadline } from '#libs/calendar';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { fundingMigrations, FundingHttpModule } from '#libs/funding';
import { personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, PoliciesHttpModule } from '#libs/platform';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

const RulesApp = platformWith(
  PoliciesHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  FundingHttpModule,
);

interface Answer {
  status: number;
  body: { policy?: Record<string, unknown>; errors?: { field: string }[] } & Record<string, unknown>;
}

describe('rules per tenant and school year, changed by an admin at run time', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T10:00:00Z'));
  let sut: AppUnderTest;
  let admin: string;
  let caseworker: string;
  const rulesSet = async () => (await committedEvents(sut.db.pool, ['PolicyRulesSet'])).length;
  const put = async (path: string, body: unknown, token = admin): Promise<Answer> =>
    (await sut.request('PUT', path, { token, body })) as Answer;
  const get = async (path: string, token = caseworker): Promise<Answer> =>
    (await sut.request('GET', path, { token })) as Answer;

  beforeAll(async () => {
    sut = await startAppUnderTest(RulesApp, {
      migrations: [...admissionMigrations, ...personalDataMigrations, ...fundingMigrations],
      clock,
    });
    admin = await sut.token('admin');
    caseworker = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('refuses a change that is not one, or not by an admin, with a clear 4xx, and records nothing', async () => {
    const reason = 'Kulturutvalget, sak 12/2025';
    const cases: [string, unknown, number, string | undefined, string?][] = [
      ['/policies/waitlist/2025-2026', { rules: { answerDayz: 3 }, reason }, 400, 'rules.answerDayz'],
      ['/policies/waitlist/2025-2026', { rules: { answerDays: 'three' }, reason }, 400, 'rules.answerDays'],
      ['/policies/waitlist/2025-2026', { rules: { reconfirmBy: { month: 4 } }, reason }, 400, 'rules.reconfirmBy'],
      ['/policies/waitlist/2025-2026', { rules: { queueOrder: ['siblingsFirst'] }, reason }, 400, 'rules.queueOrder'],
      ['/policies/enrolment/2025-2026', { rules: { movedOutEligibleUntil: 'never' }, reason }, 400, undefined],
      ['/policies/waitlist/2025-2026', { rules: { answerDays: 3 } }, 400, 'reason'],
      ['/policies/waitlist/2025-2027', { rules: { answerDays: 3 }, reason }, 400, 'schoolYear'],
      ['/policies/funding/2025-2026', { rules: { baseFeePerSemester: -1 }, reason }, 400, undefined],
      ['/policies/timetable/2025-2026', { rules: {}, reason }, 404, undefined],
      ['/policies/waitlist/2025-2026', { rules: { answerDays: 3 }, reason }, 403, undefined, 'caseworker'],
    ];
    for (const [path, body, status, field, role] of cases) {
      const answer = await put(path, body, role === 'caseworker' ? caseworker : admin);
      assert.equal(answer.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`);
      if (field)
        assert.ok(
          answer.body.errors?.some((e) => e.field === field),
          JSON.stringify(answer.body),
        );
    }
    assert.equal(await rulesSet(), 0);
  });

  it('records a change with who and why, shows it in force, and leaves other tenants alone', async () => {
    assert.equal((await get('/policies/waitlist/2025-2026')).body.policy?.answerDays, 7, 'Trondheim’s default');
    const changed = await put('/policies/waitlist/2025-2026', {
      rules: { answerDays: 3 },
      reason: 'Kulturutvalget, sak 12/2025: three days to answer',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.policy, {
      queueOrder: ['noPlaceFirst', 'appliedFirst', 'oldestFirst'],
      noPlaceFirst: true,
      specialNeedsPriority: false,
      answerDays: 3,
      silenceMeansAcceptance: true,
      reconfirmBy: { month: 5, day: 1 },
      reconfirmationRequestedOn: { month: 4, day: 1 },
      mainAdmissionOn: { month: 6, day: 15 },
      refusedAdmission: 'keeps-position',
    });
    const [recorded] = await committedEvents(sut.db.pool, ['PolicyRulesSet']);
    assert.deepEqual(recorded?.data, { context: 'waitlist', schoolYear: '2025-2026', rules: { answerDays: 3 } });
    assert.equal(recorded?.metadata.reason, 'Kulturutvalget, sak 12/2025: three days to answer');
    assert.deepEqual(recorded?.metadata.actor, { id: 'admin-1', role: 'admin' });
    assert.equal((await get('/policies/waitlist/2026-2027')).body.policy?.answerDays, 7, 'only that school year');
    const elsewhere = await get('/policies/waitlist/2025-2026', await sut.token('caseworker', 'klaebu'));
    assert.equal(elsewhere.body.policy?.answerDays, 7, 'another tenant keeps its own rules');
  });

  it('makes the next offer under the changed rule', async () => {
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token: caseworker,
      body: {
        ...{ subject: 'Fiolin', subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
        ...{ form: 'individual', capacity: 1, feePerSemesterNok: 2105, schoolYear: '2025-2026' },
      },
    });
    assert.equal(opened.status, 201);
    const { offeringId } = opened.body as { offeringId: string };
    await eventually(async () => (await committedEvents(sut.db.pool, ['WaitlistOpened'])).length === 1);
    const applied = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
      token: caseworker,
      body: {
        child: { name: 'Ida', nationalId: fodselsnummerFor('2015-03-03'), gender: 'female', district: 'Heimdal' },
        guardian: { name: 'Guardian of Ida', email: 'guardian@example.no' },
        specialNeeds: false,
      },
    });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    const [offer] = await eventually(async () => {
      const offers = await committedEvents(sut.db.pool, ['PlaceOffered']);
      return offers.length === 1 ? offers : undefined;
    });
    const { offeredAt, deadline } = offer?.data as { offeredAt: string; deadline: string };
    // Three Oslo calendar days: the answer may come until the end of the third day after the offer's.
    assert.equal(deadline, answerDeadline(offeredAt, 3));
  });

  it('changes funding rules the same way, checked by the funding rules', async () => {
    const changed = await put('/policies/funding/2026-2027', {
      rules: { baseFeePerSemester: 220_000, baseAmountG: 13_016_000 },
      reason: 'Bystyret, budsjett 2026: new fee and G',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const shown = await get('/policies/funding/2026-2027');
    assert.equal(shown.body.policy?.baseFeePerSemester, 220_000);
    assert.equal(shown.body.policy?.baseAmountG, 13_016_000);
  });
});
