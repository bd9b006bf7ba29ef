import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { feeWaiverStream, fundingMigrations, FundingHttpModule } from '#libs/funding';
import { PeopleRegister, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, PROBLEM_CONTENT_TYPE } from '#libs/platform';
import { eventually, fodselsnummerFor, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';

const FundingApp = platformWith(FundingHttpModule);

type Response = { status: number; headers: Headers; body: unknown };
type Problem = { detail: string; errors?: { field: string; message: string }[] };

/*
 * Every funding write over HTTP, as the bus carries it: a payer registered, a budget set, an application made,
 * decided (Trondheim's default: a full waiver at or below 4 G) and revoked; each refused in its bad forms first.
 */
describe('funding writes over HTTP: each route works, and bad input is a 400 naming the field that writes nothing', () => {
  const clock = new AdjustableClock(new Date('2025-06-02T09:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  let applicationId: string;
  /** A child the tenant's people register knows (as a waitlist application makes it): set in beforeAll. */
  let childId = '';
  const payer = fodselsnummerFor('1999-04-12');

  const count = async (sql: string, values: string[] = []) =>
    (await sut.db.pool.query<{ n: string }>(sql, values)).rows[0]?.n ?? '';
  const written = async () => ({
    events: await count('SELECT count(*) AS n FROM es_events'),
    subjects: await count('SELECT count(*) AS n FROM subject_keys'),
    fields: await count('SELECT count(*) AS n FROM personal_fields'),
  });
  const typed = async (type: string) =>
    Number(await count('SELECT count(*) AS n FROM es_events WHERE event_type = $1', [type]));
  // The funding process reacts to a grant or a revocation: wait until the store is quiet before the next refusal.
  const quiet = async () => {
    let seen = await written();
    await eventually(async () => {
      await sleep(150);
      const now = await written();
      const still = JSON.stringify(now) === JSON.stringify(seen);
      seen = now;
      return still;
    });
  };

  const send = (method: string, url: string, body?: unknown, token = caseworker) =>
    sut.request(method, url, { token, body });
  /** A JSON body that is not an object, sent as it is. */
  const sendRaw = (method: string, url: string, json: string, token = caseworker) =>
    sut.request(method, url, { token, body: json, headers: { 'content-type': 'application/json' } });
  const ok = (response: Response, status: number) => {
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response.body as Record<string, string>;
  };

  /** 400 problem+json naming `field`; no event, subject key or personal field more than before. */
  const refused = async (request: () => Promise<Response>, field: string, message?: RegExp) => {
    const before = await written();
    const response = await request();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const named = ((response.body as Problem).errors ?? []).filter((e) => e.field === field);
    expect({ field, named: named.length > 0, problem: response.body }).toMatchObject({ field, named: true });
    if (message) expect(named.map((e) => e.message).join(' ')).toMatch(message);
    expect(await written()).toEqual(before);
  };
  /** Bodies that are not objects: null, an array, a bare string. */
  const notObjects = async (method: string, url: string, token = caseworker) => {
    await refused(() => sendRaw(method, url, 'null', token), 'body', /not null/);
    await refused(() => sendRaw(method, url, '[{}]', token), 'body', /not an array/);
    await refused(() => sendRaw(method, url, '"grant"', token), 'body', /not a string/);
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(FundingApp, {
      migrations: [...personalDataMigrations, ...fundingMigrations],
      clock,
    });
    caseworker = await sut.token('caseworker');
    admin = await sut.token('admin');
    const people = sut.app.get(PeopleRegister, { strict: false });
    childId = (await people.subjectFor('trondheim', fodselsnummerFor('2015-03-01'))).subjectId;
  });
  afterAll(async () => sut.close());

  describe('register a payer', () => {
    let url = '';
    beforeAll(() => {
      url = `/funding/children/${childId}/payer`;
    });

    it('refuses a body that is not an object, a missing number and an invalid one', async () => {
      await notObjects('PUT', url);
      await refused(() => send('PUT', url, {}), 'payerNationalId', /payerNationalId must be 11 digits/);
      await refused(() => send('PUT', url, { payerNationalId: '17051450001' }), 'payerNationalId');
      // Synthetic test numbers are refused unless the configuration accepts them (it does not here).
      const synthetic = fodselsnummerFor('1999-04-12', 0, { synthetic: true });
      await refused(() => send('PUT', url, { payerNationalId: synthetic }), 'payerNationalId');
    });

    it('still registers the payer pseudonymously', async () => {
      const registered = ok(await send('PUT', url, { payerNationalId: payer }), 200);
      expect(registered).toMatchObject({ childId, payerId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(await typed('ChildPayerRegistered')).toBe(1);
      await quiet();
    });
  });

  describe('set the waiver budget', () => {
    const url = '/funding/budgets/2025-2026';

    it('refuses a body that is not an object, and limits out of range', async () => {
      await notObjects('PUT', url, admin);
      await refused(() => send('PUT', url, { maxWaivers: -1 }, admin), 'maxWaivers');
      await refused(() => send('PUT', url, { maxAmountNok: 'a lot' }, admin), 'maxAmountNok');
    });

    it('still sets it', async () => {
      const set = ok(await send('PUT', url, { maxAmountNok: 100_000, maxWaivers: 10 }, admin), 200);
      expect(set).toMatchObject({ schoolYear: '2025-2026', maxAmountOre: 10_000_000, maxWaivers: 10 });
      expect(await typed('WaiverBudgetSet')).toBe(1);
    });
  });

  describe('apply for a waiver', () => {
    const url = '/funding/fee-waivers/applications';
    const body = { payerNationalId: payer, householdSize: 3, householdIncomeNok: 250_000, schoolYear: '2025-2026' };

    it('refuses a body that is not an object and a missing payer, storing no personal data', async () => {
      await notObjects('POST', url);
      const { payerNationalId: _missing, ...withoutPayer } = body;
      await refused(() => send('POST', url, withoutPayer), 'payerNationalId');
    });

    it('still records the application', async () => {
      const applied = ok(await send('POST', url, body), 201);
      expect(applied).toMatchObject({ schoolYear: '2025-2026', status: 'Pending' });
      applicationId = applied.applicationId ?? '';
    });
  });

  describe('decide a waiver application', () => {
    const url = () => `/funding/fee-waivers/applications/${applicationId}/decision`;

    it('refuses a null body instead of granting the waiver, and leaves the application pending', async () => {
      await notObjects('POST', url());
      const stream = await sut.runtime.store.readStream(feeWaiverStream('trondheim', applicationId));
      expect(stream.map((e) => e.type)).toEqual(['FeeWaiverAppliedFor']);
    });

    it('refuses a malformed override or a reason with a NUL character, naming the field', async () => {
      await refused(() => send('POST', url(), { budgetOverride: [] }, admin), 'budgetOverride');
      await refused(
        () => send('POST', url(), { budgetOverride: { reason: 'Head\u0000 of school' } }, admin),
        'budgetOverride.reason',
      );
      await refused(
        () => send('POST', url(), { rejectionReason: 'Not resident\u0000' }),
        'rejectionReason',
        /rejectionReason must not contain control characters/,
      );
    });

    it('still decides by the schedule on an empty body', async () => {
      const decided = ok(await send('POST', url(), {}), 200);
      expect(decided).toMatchObject({ applicationId, decision: 'Granted', level: 'full', payPercent: 0 });
      await quiet();
    });
  });

  describe('revoke a waiver', () => {
    const url = () => `/funding/fee-waivers/applications/${applicationId}/revoke`;

    it('refuses a body that is not an object, and a missing reason or one with a NUL character', async () => {
      await notObjects('POST', url());
      await refused(() => send('POST', url(), {}), 'reason');
      await refused(() => send('POST', url(), { reason: 'Moved away\u0000 to Malvik' }), 'reason');
    });

    it('still revokes it with a reason', async () => {
      const revoked = ok(await send('POST', url(), { reason: 'The household moved out of the municipality' }), 200);
      expect(revoked).toMatchObject({ applicationId, status: 'Revoked' });
      expect(await typed('FeeWaiverRevoked')).toBe(1);
    });
  });

  describe('personal data', () => {
    it('kept the national id and the income out of the events', async () => {
      const { rows } = await sut.db.pool.query<{ data: unknown; metadata: unknown }>(
        'SELECT data, metadata FROM es_events',
      );
      expect(rows.length).toBeGreaterThan(4);
      const text = JSON.stringify(rows);
      expect([payer, '250000', '25000000'].filter((secret) => text.includes(secret))).toEqual([]);
    });
  });
});
