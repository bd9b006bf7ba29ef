import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { auditMigrations, AuditModule } from '#libs/audit';
import { ChangeStudentDistrictHandler, EnrolmentHttpModule } from '#libs/enrolment';
import { NotInRegister, TRONDHEIM_REGISTERS, type Registers } from '#libs/municipality';
import { personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, RegistersHttpModule } from '#libs/platform';
import { projectionsMigrations, ProjectionsModule } from '#libs/projections';
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

const RegistersApp = platformWith(
  RegistersHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  AuditModule,
  ProjectionsModule.register({ projections: [statisticsProjection], run: true, idleMs: 20 }),
  StatisticsModule,
);

type Answer = { status: number; headers: Headers; body: unknown };
type Problem = { errors?: { field: string }[] };
const reason = 'Kommunestyret, sak 41/2025: ny bydel';

const offering = (location: string, district: string) => ({
  ...{ subject: 'Piano', subjectGroup: 'music', programme: 'core', location, district, form: 'individual' },
  ...{ capacity: 4, feePerSemesterNok: 1900, schoolYear: '2025-2026' },
});
const application = (district: string, school?: string) => ({
  child: {
    name: 'Sigrid Vatne',
    nationalId: fodselsnummerFor('2015-03-03'),
    gender: 'female',
    district,
    ...(school ? { school } : {}),
  },
  guardian: { name: 'Guardian of Sigrid', email: 'guardian@example.no' },
  specialNeeds: false,
});

/*
 * Two municipalities in one deployment, each with its own districts, centres, schools and subjects: Trondheim's from
 * the deployment's defaults, Lindesnes' likewise, and Oslo's empty. Requests are checked against the caller's own.
 */
describe('each municipality’s own registers', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T10:00:00Z'));
  let sut: AppUnderTest;
  const send = async (
    method: string,
    url: string,
    role: 'admin' | 'caseworker' | 'auditor',
    tenant: string,
    body?: unknown,
  ) => (await sut.request(method, url, { token: await sut.token(role, tenant), body })) as Answer;
  const ok = (answer: Answer, status = 200) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    return answer.body as Record<string, unknown>;
  };
  const refused = (answer: Answer, field: string, status = 400) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.ok(
      (answer.body as Problem).errors?.some((e) => e.field === field),
      JSON.stringify(answer.body),
    );
  };
  const registersOf = async (tenant: string) =>
    (ok(await send('GET', '/registers', 'caseworker', tenant)) as { registers: Registers }).registers;
  const count = async (types: string[], tenant: string) =>
    (await committedEvents(sut.db.pool, types)).filter((e) => e.metadata.tenant === tenant).length;
  const offerings: Record<string, string> = {};
  let lindesnesChildId = '';

  beforeAll(async () => {
    sut = await startAppUnderTest(RegistersApp, {
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...auditMigrations,
        ...projectionsMigrations,
        ...statisticsMigrations,
      ],
      clock,
    });
  });
  afterAll(async () => sut.close());

  it('gives Lindesnes its own registers, with nothing of Trondheim’s, and a tenant without defaults none', async () => {
    const trondheim = await registersOf('trondheim');
    const lindesnes = await registersOf('lindesnes');
    assert.equal(trondheim.centres.Huseby?.openedOn, '2021-08-16');
    assert.deepEqual(Object.keys(lindesnes.districts), ['Mandal', 'Vigeland', 'Marnardal']);
    for (const register of ['districts', 'centres', 'schools'] as const) {
      const shared = Object.keys(lindesnes[register]).filter((key) => key in TRONDHEIM_REGISTERS[register]);
      assert.deepEqual(shared, [], `${register} of Lindesnes`);
    }
    assert.ok('Trekkspill' in lindesnes.subjects && !('Trekkspill' in trondheim.subjects));
    const oslo = await registersOf('oslo');
    assert.deepEqual(oslo, { districts: {}, centres: {}, schools: {}, subjects: {} });
  });

  it('refuses an offering at a centre or in a district not in the caller’s registers, writing nothing', async () => {
    refused(
      await send('POST', '/enrolment/offerings', 'caseworker', 'lindesnes', offering('Ranheim', 'Østbyen')),
      'district',
    );
    refused(
      await send('POST', '/enrolment/offerings', 'caseworker', 'lindesnes', offering('Ranheim', 'Mandal')),
      'location',
    );
    refused(
      await send('POST', '/enrolment/offerings', 'caseworker', 'lindesnes', offering('Buen', 'Vigeland')),
      'district',
    );
    refused(
      await send('POST', '/enrolment/offerings', 'caseworker', 'lindesnes', {
        ...offering('Buen', 'Mandal'),
        subject: 'Fiolin',
      }),
      'subject',
    );
    refused(
      await send('POST', '/enrolment/offerings', 'caseworker', 'trondheim', {
        ...offering('Huseby', 'Heimdal'),
        schoolYear: '2019-2020',
      }),
      'location',
    );
    assert.equal(await count(['OfferingOpened'], 'lindesnes'), 0);
    assert.equal(await count(['OfferingOpened'], 'trondheim'), 0);

    offerings.lindesnes = ok(
      await send('POST', '/enrolment/offerings', 'caseworker', 'lindesnes', offering('Buen', 'Mandal')),
      201,
    ).offeringId as string;
    offerings.trondheim = ok(
      await send('POST', '/enrolment/offerings', 'caseworker', 'trondheim', offering('Ranheim', 'Østbyen')),
      201,
    ).offeringId as string;
    await eventually(async () => (await committedEvents(sut.db.pool, ['WaitlistOpened'])).length === 2);
  });

  it('refuses an application with a Trondheim district in Lindesnes (400, nothing written) and takes it in Trondheim', async () => {
    const apply = (tenant: string, body: unknown) =>
      send('POST', `/waitlist/offerings/${offerings[tenant]}/applications`, 'caseworker', tenant, body);
    const subjects = async () => Number((await sut.db.pool.query('SELECT count(*) AS n FROM subject_keys')).rows[0]?.n);

    refused(await apply('lindesnes', application('Heimdal')), 'child.district');
    refused(await apply('lindesnes', application('Mandal', 'Berg skole')), 'child.school');
    assert.equal(await count(['ApplicationSubmitted'], 'lindesnes'), 0);
    assert.equal(await subjects(), 0, 'no personal data stored for a refused application');

    ok(await apply('trondheim', application('Heimdal', 'Berg skole')), 201);
    const lindesnesChild = {
      ...application('Mandal', 'frivoll-skole').child,
      nationalId: fodselsnummerFor('2014-06-06'),
    };
    lindesnesChildId = ok(await apply('lindesnes', { ...application('Mandal'), child: lindesnesChild }), 201)
      .childId as string;
    assert.equal(await count(['ApplicationSubmitted'], 'trondheim'), 1);
    assert.equal(await count(['ApplicationSubmitted'], 'lindesnes'), 1);
  });

  it('checks direct enrolment, Kulturdag and the address feed against the tenant’s registers', async () => {
    // The child who applied in Lindesnes, a person of its register, enrolled directly.
    const student = lindesnesChildId;
    const enrol = (district: string, school: string) =>
      send('POST', `/enrolment/offerings/${offerings.lindesnes}/places`, 'caseworker', 'lindesnes', {
        ...{ studentId: student, birthYear: 2014, gender: 'male', district, school },
      });
    refused(await enrol('Heimdal', 'frivoll-skole'), 'district');
    refused(await enrol('Mandal', 'Huseby skole'), 'school');
    assert.equal(await count(['PlaceEnrolled', 'StudentPlaceTaken'], 'lindesnes'), 0);
    ok(await enrol('Mandal', 'Frivoll skole'), 201);

    const join = (school: string, district: string) =>
      send('POST', `/enrolment/kulturdag/schools/${school}/join`, 'admin', 'lindesnes', {
        schoolYear: '2025-2026',
        district,
      });
    refused(await join('berg-skole', 'Mandal'), 'schoolId');
    refused(await join('frivoll-skole', 'Østbyen'), 'district');
    ok(await join('frivoll-skole', 'Mandal'), 201);

    const feed = sut.app.get(ChangeStudentDistrictHandler, { strict: false });
    const move = (district: string, changeId: string) =>
      feed.changeDistrict({
        tenant: 'lindesnes',
        studentId: student,
        district,
        effectiveOn: '2025-10-01',
        commandId: changeId,
      });
    await assert.rejects(move('Heimdal', randomUUID()), (error: unknown) => error instanceof NotInRegister);
    assert.equal(await count(['StudentDistrictChanged'], 'lindesnes'), 0);
    assert.equal(await move('Vigeland', randomUUID()), 'changed');
  });

  it('records an admin’s change with its reason in the audit history, and applies it from the next request', async () => {
    const put = (role: 'admin' | 'caseworker', body: unknown, tenant = 'lindesnes') =>
      send('PUT', '/registers/districts/Spangereid', role, tenant, body);
    assert.equal((await put('caseworker', { name: 'Spangereid', reason })).status, 403);
    refused(await put('admin', { name: 'Spangereid' }), 'reason');
    refused(
      await send('PUT', '/registers/centres/Spangereid', 'admin', 'lindesnes', {
        name: 'Spangereid',
        district: 'Heimdal',
        openedOn: '2025-08-18',
        reason,
      }),
      'district',
    );
    assert.equal(
      (await send('PUT', '/registers/timetables/x', 'admin', 'lindesnes', { name: 'x', reason })).status,
      404,
    );
    assert.equal(await count(['RegisterEntryAdded', 'RegisterEntryChanged', 'RegisterEntryRetired'], 'lindesnes'), 0);

    const added = ok(await put('admin', { name: 'Spangereid', reason }));
    assert.deepEqual(added.changed, ['RegisterEntryAdded']);
    const history = ok(await send('GET', `/audit/history/${String(added.entryId)}`, 'auditor', 'lindesnes')) as {
      entries: { type: string; reason: string | null; actor: { id: string; role: string } }[];
    };
    assert.deepEqual(
      history.entries.map((e) => [e.type, e.reason, e.actor.role]),
      [['RegisterEntryAdded', reason, 'admin']],
    );
    assert.ok('Spangereid' in (await registersOf('lindesnes')).districts);
    assert.ok(!('Spangereid' in (await registersOf('trondheim')).districts), 'Trondheim keeps its own');

    const retired = ok(
      await send('DELETE', '/registers/districts/Spangereid', 'admin', 'lindesnes', {
        reason: 'Feil registrert, sak 42/2025',
      }),
    );
    assert.deepEqual(retired.changed, ['RegisterEntryRetired']);
    refused(
      await send('POST', `/waitlist/offerings/${offerings.lindesnes}/applications`, 'caseworker', 'lindesnes', {
        ...application('Spangereid'),
        child: { ...application('Spangereid').child, nationalId: fodselsnummerFor('2013-01-09') },
      }),
      'child.district',
    );
  });

  it('lists Lindesnes’ districts, and nothing of Trondheim’s, in its coverage per district', async () => {
    const coverage = async (tenant: string) =>
      (
        ok(await send('GET', '/statistics/coverage?schoolYear=2025-2026&date=2025-12-01', 'auditor', tenant)) as {
          items: { district: string; students6to15: number }[];
        }
      ).items;
    // The student enrolled in Lindesnes, counted once the read model has caught up.
    const students = (rows: { students6to15: number }[]) => rows.reduce((n, row) => n + row.students6to15, 0);
    await eventually(async () => students(await coverage('lindesnes')) === 1);
    const lindesnes = await coverage('lindesnes');
    assert.deepEqual(lindesnes.map((row) => row.district).sort(), ['Mandal', 'Marnardal', 'Vigeland']);
    const trondheim = await coverage('trondheim');
    assert.deepEqual(trondheim.map((row) => row.district).sort(), Object.keys(TRONDHEIM_REGISTERS.districts).sort());
  });
});
