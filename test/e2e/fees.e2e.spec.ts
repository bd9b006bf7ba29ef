import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { FundingHttpModule, fundingMigrations, householdStream, type SemesterFeesAssessed } from '#libs/funding';
import { PeopleRegister, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { projectionsMigrations } from '#libs/projections';
import { eventually, fodselsnummerFor, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';

const FeesApp = platformWith(EnrolmentHttpModule, FundingHttpModule);

describe('fees end to end: a fee in øre over HTTP, and a price list that changes on 1 January', () => {
  const clock = new AdjustableClock(new Date('2025-06-02T09:00:00Z'));
  let sut: AppUnderTest;
  let admin: string;
  let caseworker: string;
  let offeringId: string;
  let payerId: string;

  const offering = (fee: object) => ({
    ...{ subject: 'Cello', subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
    ...{ form: 'individual', capacity: 6, schoolYear: '2025-2026', ...fee },
  });
  const eventCount = async () =>
    Number((await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
  const assessments = async () =>
    (await sut.runtime.store.readStream(householdStream('trondheim', payerId))).map(
      (e) => e.data as SemesterFeesAssessed['data'],
    );
  const baseFees = (found: SemesterFeesAssessed['data'][]) =>
    found.map((a) => [a.term, ...a.lines.filter((l) => l.kind === 'BaseFee').map((l) => l.amount)]);

  beforeAll(async () => {
    sut = await startAppUnderTest(FeesApp, {
      migrations: [...personalDataMigrations, ...projectionsMigrations, ...fundingMigrations],
      clock,
    });
    admin = await sut.token('admin');
    caseworker = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('refuses a fee with more than two decimals, a negative or absurd one, or two fees at once, and writes nothing', async () => {
    const before = await eventCount();
    for (const fee of [
      { feePerSemester: '2052.505' },
      { feePerSemester: '-1' },
      { feePerSemester: '100000.01' },
      { feePerSemester: 2052.5 },
      { feePerSemesterNok: -1 },
      { feePerSemester: '2052.50', feePerSemesterNok: 2052 },
    ]) {
      const refused = await sut.request('POST', '/enrolment/offerings', { token: admin, body: offering(fee) });
      assert.equal(refused.status, 400, `${JSON.stringify(fee)}: ${JSON.stringify(refused.body)}`);
    }
    assert.equal(await eventCount(), before);
  });

  it('bills a fee of NOK 2,052.50 as a fee line of 205250 øre in both semesters', async () => {
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token: admin,
      body: offering({ feePerSemester: '2052.50' }),
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    offeringId = (opened.body as { offeringId: string }).offeringId;
    const people = sut.app.get(PeopleRegister, { strict: false });
    const { subjectId: studentId } = await people.subjectFor('trondheim', fodselsnummerFor('2014-03-01'));
    const payer = await sut.request('PUT', `/funding/children/${studentId}/payer`, {
      token: caseworker,
      body: { payerNationalId: fodselsnummerFor('1985-05-05') },
    });
    assert.equal(payer.status, 200, JSON.stringify(payer.body));
    payerId = (payer.body as { payerId: string }).payerId;
    clock.set('2025-08-18T08:00:00Z');
    const enrolled = await sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
      token: caseworker,
      body: { studentId, birthYear: 2014, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
    });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    const both = await eventually(async () => ((await assessments()).length === 2 ? assessments() : undefined));
    assert.deepEqual(baseFees(both), [
      ['autumn', 205_250],
      ['spring', 205_250],
    ]);
  });

  it('sets a new fee from 1 January with a reason, and bills the spring at it while the autumn keeps its own', async () => {
    clock.set('2025-12-15T09:00:00Z');
    const changed = await sut.request('PUT', `/enrolment/offerings/${offeringId}/fee`, {
      token: admin,
      body: { feePerSemester: '2152.75', effectiveFrom: '2026-01-01', reason: 'Bystyret: budget 2026' },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((changed.body as { feePerSemesterOre: number }).feePerSemesterOre, 215_275);
    const all = await eventually(async () => ((await assessments()).length === 3 ? assessments() : undefined));
    assert.deepEqual(baseFees(all), [
      ['autumn', 205_250],
      ['spring', 205_250],
      ['spring', 215_275],
    ]);
    assert.equal(all[2]?.replaces, all[1]?.assessmentId, 'billing can credit the spring it billed before');
  });

  it('refuses a fee change for a semester under way (409), by a caseworker (403), or from another day than a semester’s first (400)', async () => {
    const before = await eventCount();
    const change = (body: object, token = admin) =>
      sut.request('PUT', `/enrolment/offerings/${offeringId}/fee`, { token, body: { reason: 'correction', ...body } });
    assert.equal((await change({ feePerSemester: '1000', effectiveFrom: '2025-08-01' })).status, 409);
    assert.equal((await change({ feePerSemester: '1000', effectiveFrom: '2026-08-01' }, caseworker)).status, 403);
    assert.equal((await change({ feePerSemester: '1000', effectiveFrom: '2026-03-01' })).status, 400);
    assert.equal((await change({ feePerSemester: '10.001', effectiveFrom: '2026-08-01' })).status, 400);
    assert.equal(await eventCount(), before);
  });

  it('sets a price list for several offerings at once, or for none when one of them is refused', async () => {
    const second = await sut.request('POST', '/enrolment/offerings', {
      token: admin,
      body: offering({ feePerSemesterNok: 2105 }),
    });
    const secondId = (second.body as { offeringId: string }).offeringId;
    const list = (fees: object[]) =>
      sut.request('PUT', '/enrolment/offerings/fees', {
        token: admin,
        body: { effectiveFrom: '2026-08-01', reason: 'Prisliste 2026–2027', fees },
      });
    const before = await eventCount();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const refused = await list([
      { offeringId, feePerSemester: '2200' },
      { offeringId: unknown, feePerSemester: '2200' },
    ]);
    assert.equal(refused.status, 404, JSON.stringify(refused.body));
    assert.match(JSON.stringify(refused.body), new RegExp(unknown));
    assert.equal(await eventCount(), before, 'no offering of a refused price list changes');

    const set = await list([
      { offeringId, feePerSemester: '2200' },
      { offeringId: secondId, feePerSemester: '2250.50' },
    ]);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual((set.body as { changed: string[] }).changed, [offeringId, secondId]);
  });
});
