import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { EnrolmentHttpModule } from '#libs/enrolment';
import {} from '#libs/platform';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';

const FoundationApp = platformWith(EnrolmentHttpModule);

const piano = {
  subject: 'Piano',
  subjectGroup: 'music',
  programme: 'core',
  location: 'Ranheim',
  district: 'Østbyen',
  form: 'individual',
  capacity: 2,
  feePerSemesterNok: 2105,
  schoolYear: '2025-2026',
};

describe('foundation over HTTP: security, idempotency, bad input', () => {
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  const eventCount = async () =>
    Number((await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);

  beforeAll(async () => {
    sut = await startAppUnderTest(FoundationApp);
    caseworker = await sut.token('caseworker');
    admin = await sut.token('admin');
  });
  afterAll(async () => sut.close());

  describe('authentication and roles', () => {
    it('leaves only the health check open', async () => {
      assert.equal((await sut.request('GET', '/health')).status, 200);
      const metrics = await sut.request('GET', '/metrics');
      assert.equal(metrics.status, 401);
      assert.match(metrics.headers.get('content-type') ?? '', /^application\/problem\+json/);
    });

    it('refuses missing, expired, badly signed and unsigned tokens with 401', async () => {
      const bad = await sut.badTokens();
      for (const [name, token] of Object.entries(bad)) {
        const response = await sut.request('POST', '/enrolment/offerings', { token, body: piano });
        assert.equal(response.status, 401, name);
      }
      assert.equal((await sut.request('POST', '/enrolment/offerings', { body: piano })).status, 401);
      assert.equal(await eventCount(), 0);
    });

    it('refuses a role the route does not allow with 403, and records the refusal without personal data', async () => {
      const auditor = await sut.token('auditor');
      const response = await sut.request('POST', '/enrolment/offerings', { token: auditor, body: piano });
      assert.equal(response.status, 403);
      const { rows } = await sut.db.pool.query(
        'SELECT outcome, actor_role, action FROM access_trail WHERE outcome = $1',
        ['forbidden'],
      );
      assert.deepEqual(rows.at(-1), {
        outcome: 'forbidden',
        actor_role: 'auditor',
        action: 'POST /enrolment/offerings',
      });
    });

    it("serves metrics to the operators' admin, with append counts, and not to a municipality's admin", async () => {
      await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano });
      const response = await sut.request('GET', '/metrics', { token: await sut.token('admin', 'operations') });
      assert.equal(response.status, 200);
      assert.match(String(response.body), /kulturskole_event_store_appends_total\{context="enrolment"\} \d+/);
      const municipality = await sut.request('GET', '/metrics', { token: admin });
      assert.equal(municipality.status, 403);
      assert.match(municipality.headers.get('content-type') ?? '', /^application\/problem\+json/);
    });
  });

  describe('correlation', () => {
    it("carries the caller's x-correlation-id into the events, and makes a unique one when none is given", async () => {
      const given = await sut.request('POST', '/enrolment/offerings', {
        token: caseworker,
        body: piano,
        headers: { 'x-correlation-id': 'school-office-batch-0042' },
      });
      const made = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano });
      const correlationOf = async (response: typeof given) => {
        const { offeringId } = response.body as { offeringId: string };
        const [event] = await sut.runtime.store.readStream(`trondheim.enrolment.offering-${offeringId}`);
        return event?.metadata.correlationId;
      };
      assert.equal(await correlationOf(given), 'school-office-batch-0042');
      assert.match(
        (await correlationOf(made)) ?? '',
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });
  });

  describe('tenants', () => {
    it("never lets one tenant's token write into another tenant's streams", async () => {
      const opened = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano });
      assert.equal(opened.status, 201);
      const { offeringId } = opened.body as { offeringId: string };
      const stranger = await sut.token('admin', 'oslo');
      const response = await sut.request('PUT', `/enrolment/offerings/${offeringId}/capacity`, {
        token: stranger,
        body: { capacity: 5 },
      });
      assert.equal(response.status, 404, 'the other tenant does not see the offering at all');
      const { rows } = await sut.db.pool.query('SELECT stream_name FROM es_events WHERE stream_name LIKE $1', [
        'oslo.%',
      ]);
      assert.deepEqual(rows, []);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, without a second append', async () => {
      const headers = { 'idempotency-key': 'open-piano-ranheim-1' };
      const before = await eventCount();
      const first = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano, headers });
      const second = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano, headers });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      assert.equal(await eventCount(), before + 1);
    });

    it('answers 422 for the same key with another body, writing nothing', async () => {
      const headers = { 'idempotency-key': 'open-piano-ranheim-2' };
      await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano, headers });
      const before = await eventCount();
      const other = await sut.request('POST', '/enrolment/offerings', {
        token: caseworker,
        body: { ...piano, capacity: 3 },
        headers,
      });
      assert.equal(other.status, 422);
      assert.equal(await eventCount(), before);
    });

    it('answers 409 while the first request with the key is still running, then the first completes', async () => {
      const opened = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano });
      const { offeringId } = opened.body as { offeringId: string };
      // Hold the offering's stream row so the first request waits inside its append.
      const blocker = await sut.db.pool.connect();
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM es_streams WHERE stream_name LIKE $1 FOR UPDATE', [`%${offeringId}`]);
      const request = () =>
        sut.request('PUT', `/enrolment/offerings/${offeringId}/capacity`, {
          token: caseworker,
          body: { capacity: 6 },
          headers: { 'idempotency-key': 'raise-capacity-1' },
        });
      const first = request();
      await new Promise((resolve) => setTimeout(resolve, 150));
      const second = await request();
      assert.equal(second.status, 409);
      await blocker.query('COMMIT');
      blocker.release();
      assert.equal((await first).status, 200);
      const third = await request();
      assert.equal(third.status, 200);
      assert.equal(third.headers.get('idempotent-replayed'), 'true');
    });
  });

  describe('bad input gets problem+json naming the field, and nothing is written', () => {
    const cases: [string, { body: unknown; headers?: Record<string, string> }, number, string | undefined][] = [
      ['a non-JSON body', { body: '{"subject": ', headers: { 'content-type': 'application/json' } }, 400, undefined],
      ['an unknown field (a smuggled status)', { body: { ...piano, status: 'Closed' } }, 400, 'status'],
      ['a wrong type', { body: { ...piano, capacity: 'many' } }, 400, 'capacity'],
      ['a malformed school year', { body: { ...piano, schoolYear: '25/26' } }, 400, 'schoolYear'],
      ['an oversized payload', { body: { ...piano, subject: 'x'.repeat(70_000) } }, 413, undefined],
      [
        'a body that is not JSON at all',
        { body: 'subject=Piano', headers: { 'content-type': 'text/plain' } },
        415,
        undefined,
      ],
    ];
    for (const [name, request, status, field] of cases) {
      it(`refuses ${name} with ${status}`, async () => {
        const before = await eventCount();
        const response = await sut.request('POST', '/enrolment/offerings', { token: caseworker, ...request });
        assert.equal(response.status, status);
        assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
        const problem = response.body as { status: number; errors?: { field: string }[] };
        assert.equal(problem.status, status);
        if (field)
          assert.ok(
            problem.errors?.some((e) => e.field === field),
            JSON.stringify(problem),
          );
        assert.equal(await eventCount(), before);
      });
    }

    it('refuses a malformed offering id in the path with 400', async () => {
      const response = await sut.request('PUT', '/enrolment/offerings/not-a-uuid/capacity', {
        token: caseworker,
        body: { capacity: 3 },
      });
      assert.equal(response.status, 400);
    });

    it('maps a broken domain rule to 409 with a message a caseworker can act on', async () => {
      const opened = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: piano });
      const { offeringId } = opened.body as { offeringId: string };
      await sut.request('POST', `/enrolment/offerings/${offeringId}/close`, { token: admin });
      const response = await sut.request('PUT', `/enrolment/offerings/${offeringId}/capacity`, {
        token: caseworker,
        body: { capacity: 4 },
      });
      assert.equal(response.status, 409);
      assert.match((response.body as { detail: string }).detail, /closed/);
    });
  });
});
