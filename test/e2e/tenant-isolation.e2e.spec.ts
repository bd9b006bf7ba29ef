import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { auditMigrations, AuditModule } from '#libs/audit';
import { EnrolmentHttpModule, offeringsProjection } from '#libs/enrolment';
import { fundingMigrations, FundingHttpModule } from '#libs/funding';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, newCommandContext, TenantRegisters, type TokenRole } from '#libs/platform';
import { projectionsMigrations, ProjectionsModule } from '#libs/projections';
import { eventually, fodselsnummerFor, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

const IsolatedApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  FundingHttpModule,
  ProjectionsModule.register({ projections: [offeringsProjection], run: true, idleMs: 20 }),
  AuditModule,
);

type Response = { status: number; headers: Headers; body: unknown };

const offering = (subject: string) => ({
  subject,
  subjectGroup: 'music',
  programme: 'core',
  location: 'Huseby',
  district: 'Heimdal',
  form: 'individual',
  capacity: 3,
  feePerSemesterNok: 2105,
  schoolYear: '2025-2026',
});

/*
 * Two municipalities on one deployment (Trondheim and Malvik; Oslo has done nothing): what one creates or may see is
 * its own. Each name space a tenant creates in (as-of builds and replay sets, a child's payer) and each view that spans
 * tenants (the refusals of calls without a valid token, metrics) is tried from the other side.
 */
describe('between tenants: no name, set, lookup or operators’ view is shared', () => {
  const clock = new AdjustableClock(new Date('2025-06-02T09:00:00Z'));
  let sut: AppUnderTest;
  const offerings: Record<string, string> = {};
  const trondheimNationalId = fodselsnummerFor('2013-04-04', 7);
  let trondheimStudent: string;
  let trondheimChild: string;

  const as = (role: TokenRole, tenant: string) => sut.token(role, tenant);
  const send = async (method: string, url: string, role: TokenRole, tenant: string, body?: unknown) =>
    sut.request(method, url, { token: await as(role, tenant), body });
  const ok = (response: Response, status = 200) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body as Record<string, unknown>;
  };
  const isProblem = (response: Response, status: number) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  };
  const count = async (sql: string, values: unknown[] = []) =>
    Number((await sut.db.pool.query<{ n: string }>(sql, values)).rows[0]?.n);

  beforeAll(async () => {
    sut = await startAppUnderTest(IsolatedApp, {
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...projectionsMigrations,
        ...fundingMigrations,
        ...auditMigrations,
      ],
      clock,
    });
    // Malvik has no registers among the deployment's defaults: its admin records what its offering names.
    const malvikAdmin = { subject: 'admin-1', tenant: 'malvik', role: 'admin' as const };
    const record = (register: string, key: string, entry: Record<string, unknown>) =>
      sut.app
        .get(TenantRegisters)
        .put(newCommandContext(malvikAdmin, { now: clock.now() }), register, key, entry, 'Malvik’s registers');
    await record('districts', 'Heimdal', { name: 'Heimdal' });
    await record('centres', 'Huseby', { name: 'Huseby', district: 'Heimdal', openedOn: '2021-08-16' });
    await record('schools', 'huseby-skole', { name: 'Huseby skole', district: 'Heimdal' });
    await record('subjects', 'Fiolin', { name: 'Fiolin', subjectGroup: 'music', forms: ['individual'] });
    for (const tenant of ['trondheim', 'malvik']) {
      offerings[tenant] = ok(await send('POST', '/enrolment/offerings', 'caseworker', tenant, offering('Fiolin')), 201)
        .offeringId as string;
    }
    await eventually(
      async () => (await count("SELECT count(*) AS n FROM es_events WHERE event_type = 'WaitlistOpened'")) === 2,
    );
    // Trondheim knows two children: one registered and enrolled directly (a student stream), one who applied to the
    // waitlist (a data subject of its people register).
    trondheimStudent = ok(
      await send('POST', '/people', 'caseworker', 'trondheim', {
        ...{ nationalId: trondheimNationalId, name: 'Bo Berg', gender: 'male' },
      }),
      201,
    ).personId as string;
    ok(
      await send('POST', `/enrolment/offerings/${offerings.trondheim}/places`, 'caseworker', 'trondheim', {
        studentId: trondheimStudent,
        birthYear: 2013,
        gender: 'male',
        district: 'Heimdal',
        school: 'Huseby skole',
      }),
      201,
    );
    trondheimChild = ok(
      await send('POST', `/waitlist/offerings/${offerings.trondheim}/applications`, 'caseworker', 'trondheim', {
        child: {
          name: 'Astrid Aune',
          nationalId: fodselsnummerFor('2015-02-01'),
          gender: 'female',
          district: 'Heimdal',
          school: 'Huseby skole',
        },
        guardian: { name: 'Guardian of Astrid', email: 'guardian@example.no' },
        specialNeeds: false,
        appliedAt: '2025-05-01T09:00:00Z',
      }),
      201,
    ).childId as string;
  });
  afterAll(async () => sut.close());

  describe('the payer of a child', () => {
    const payerNationalId = fodselsnummerFor('1985-04-12');
    const written = async () => ({
      registrations: await count("SELECT count(*) AS n FROM es_events WHERE event_type = 'ChildPayerRegistered'"),
      subjects: await count('SELECT count(*) AS n FROM subject_keys'),
      fields: await count('SELECT count(*) AS n FROM personal_fields'),
    });

    it("registers a payer for a child of the caller's tenant, enrolled or on the waitlist", async () => {
      for (const child of [trondheimStudent, trondheimChild]) {
        const registered = ok(
          await send('PUT', `/funding/children/${child}/payer`, 'caseworker', 'trondheim', { payerNationalId }),
        );
        assert.equal(registered.childId, child);
      }
    });

    it("answers 404 problem+json for another tenant's child and for a child nobody has, and writes nothing", async () => {
      for (const [tenant, child] of [
        ['malvik', trondheimStudent],
        ['malvik', trondheimChild],
        ['trondheim', randomUUID()],
      ] as const) {
        const before = await written();
        const refused = await send('PUT', `/funding/children/${child}/payer`, 'caseworker', tenant, {
          payerNationalId,
        });
        isProblem(refused, 404);
        assert.match((refused.body as { detail: string }).detail, /No child .* is known here/);
        assert.deepEqual(await written(), before, `${tenant} ${child}: nothing written, not even the payer's number`);
      }
      assert.equal(
        await count("SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'malvik.funding.%'"),
        0,
        'no funding stream in Malvik',
      );
    });
  });

  describe('people', () => {
    it("finds a child by number in its own tenant only, and enrols no other tenant's person", async () => {
      const lookup = (tenant: string) =>
        send('POST', '/people/lookup', 'caseworker', tenant, { nationalId: trondheimNationalId });
      assert.deepEqual(ok(await lookup('trondheim')), { personId: trondheimStudent });
      isProblem(await lookup('malvik'), 404);
      // Malvik's streams only: Trondheim's admission may still be offering its applicant a place meanwhile.
      const malvikEvents = () => count("SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'malvik.%'");
      const before = await malvikEvents();
      isProblem(
        await send('POST', `/enrolment/offerings/${offerings.malvik}/places`, 'caseworker', 'malvik', {
          ...{
            personId: trondheimStudent,
            birthYear: 2013,
            gender: 'male',
            district: 'Heimdal',
            school: 'Huseby skole',
          },
        }),
        404,
      );
      assert.equal(await malvikEvents(), before);
    });
  });

  describe('replay sets (as-of builds)', () => {
    interface ReplaySet {
      name: string;
      state: string;
      eventsApplied: number;
    }
    const sets = async (tenant: string) =>
      (ok(await send('GET', '/audit/replay-sets', 'auditor', tenant)) as unknown as { sets: ReplaySet[] }).sets;
    const eventsOf = (tenant: string) =>
      count(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE $1 AND event_type = ANY ($2)`, [
        `${tenant}.%`,
        offeringsProjection.eventTypes,
      ]);

    it("lists and reads only the caller's tenant's sets, though both tenants chose the same name", async () => {
      const until = new Date().toISOString();
      ok(
        await send('POST', '/projections/offerings/as-of', 'auditor', 'trondheim', { name: 'while_waiting', until }),
        202,
      );
      const later = new Date(Date.now() + 1).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      // Another instant under the same name: Malvik's own set, not a 409.
      ok(
        await send('POST', '/projections/offerings/as-of', 'admin', 'malvik', { name: 'while_waiting', until: later }),
        202,
      );
      for (const tenant of ['trondheim', 'malvik']) {
        const listed = await eventually(async () => {
          const found = await sets(tenant);
          return found.every((s) => s.state === 'ready') && found.length > 0 ? found : undefined;
        });
        assert.deepEqual(
          listed.map((s) => [s.name, s.state, s.eventsApplied]),
          [['while_waiting', 'ready', await eventsOf(tenant)]],
          tenant,
        );
        const { rows } = ok(
          await send('GET', '/audit/replay-sets/while_waiting/tables/offerings', 'auditor', tenant),
        ) as unknown as { rows: { tenant: string; offering_id: string }[] };
        assert.deepEqual(
          rows.map((r) => [r.tenant, r.offering_id]),
          [[tenant, offerings[tenant]]],
        );
      }
      assert.deepEqual(await sets('oslo'), []);
      isProblem(await send('GET', '/audit/replay-sets/while_waiting/tables/offerings', 'auditor', 'oslo'), 404);
      assert.deepEqual(
        (ok(await send('GET', '/projections/as-of', 'admin', 'oslo')) as { builds: unknown[] }).builds,
        [],
      );
    });
  });

  describe('views that span every tenant', () => {
    it("shows refusals of calls without a valid token to the operators only, and each tenant's refusals to it", async () => {
      isProblem(await sut.request('GET', '/audit/access-trail'), 401);
      isProblem(await sut.request('GET', '/audit/access-trail', { token: 'not-a-token' }), 401);
      isProblem(await send('GET', `/audit/history/${trondheimChild}`, 'caseworker', 'malvik'), 403);
      type Trail = { items: { action: string; outcome: string; actorRole: string | null }[] };
      const trail = async (tenant: string, query: string) =>
        (ok(await send('GET', `/audit/access-trail?${query}`, 'auditor', tenant)) as unknown as Trail).items;

      assert.deepEqual(await trail('trondheim', 'outcome=unauthenticated'), [], 'not a municipality’s to see');
      assert.deepEqual(await trail('malvik', 'outcome=unauthenticated'), []);
      assert.deepEqual(await trail('trondheim', 'outcome=forbidden&action=/audit/history'), [], "Malvik's refusal");
      assert.deepEqual(
        (await trail('malvik', 'outcome=forbidden&action=/audit/history')).map((i) => [i.actorRole, i.action]),
        [['caseworker', 'GET /audit/history/:id']],
      );
      const operators = await trail('operations', 'outcome=unauthenticated&action=/audit/access-trail');
      assert.equal(operators.length, 2, JSON.stringify(operators));
      assert.ok(operators.every((i) => i.actorRole === null));
    });

    it("serves metrics to the operators' tokens only", async () => {
      for (const [role, tenant, status] of [
        ['admin', 'trondheim', 403],
        ['integration', 'malvik', 403],
        ['admin', 'operations', 200],
        ['integration', 'operations', 200],
      ] as const) {
        assert.equal((await send('GET', '/metrics', role, tenant)).status, status, `${role} of ${tenant}`);
      }
    });
  });

  describe('token lifetime', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const token = (claims: { iat?: number; exp?: number }) => {
      const key = sut.runtime.localKey;
      if (!key) throw new Error('tests run with the local key');
      let jwt = new SignJWT({ tenant: 'trondheim', role: 'auditor' })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('auditor-1')
        .setIssuer(sut.runtime.config.AUTH_ISSUER)
        .setAudience(sut.runtime.config.AUTH_AUDIENCE);
      if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
      if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
      return jwt.sign(key.privateKey);
    };
    const call = async (claims: { iat?: number; exp?: number }) =>
      sut.request('GET', '/projections/as-of', { token: await token(claims) });

    it('accepts a token within the 12 h default, the lifetime the local issuer gives', async () => {
      ok(await call({ iat: now(), exp: now() + 12 * 3600 }));
      ok(await call({ exp: now() + 600 }));
    });

    it('refuses a well-signed token valid for 100 years, one without exp, and one beyond 12 h, with 401', async () => {
      for (const [claims, reason] of [
        [{ iat: now(), exp: now() + 100 * 365 * 24 * 3600 }, /longer than the 43200 s a token may live/],
        [{ iat: now() }, /"exp"/],
        [{}, /"exp"/],
        [{ iat: now(), exp: now() + 12 * 3600 + 60 }, /longer than/],
        [{ exp: now() + 13 * 3600 }, /from now, longer than/],
      ] as const) {
        const refused = await call(claims);
        isProblem(refused, 401);
        assert.match((refused.body as { detail: string }).detail, reason, JSON.stringify(claims));
      }
    });
  });
});
