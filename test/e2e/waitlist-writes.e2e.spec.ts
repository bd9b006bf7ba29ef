import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, PROBLEM_CONTENT_TYPE } from '#libs/platform';
import { eventually, fodselsnummerFor, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

const WaitlistApp = platformWith(EnrolmentHttpModule, WaitlistHttpModule, AdmissionModule);

type Response = { status: number; headers: Headers; body: unknown };
type Problem = { detail: string; errors?: { field: string; message: string }[] };

/*
 * Every waitlist write over HTTP, as the bus carries it: a talent (deepening) offering with two seats admits by
 * audition, so the test makes the offers itself and answers them; a third child reconfirms and then withdraws.
 */
describe('waitlist writes over HTTP: each route works, and bad input is a 400 naming the field that writes nothing', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T10:00:00Z'));
  let sut: AppUnderTest;
  let token: string;
  let admin: string;
  let offeringId: string;
  const applications: Record<string, string> = {};
  const offers: Record<string, string> = {};

  const events = async () =>
    (await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n ?? '';
  const subjects = async () =>
    (await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM subject_keys')).rows[0]?.n ?? '';
  const typed = async (type: string) =>
    Number(
      (await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events WHERE event_type = $1', [type]))
        .rows[0]?.n,
    );
  // The admission process writes after a command (an accepted offer becomes a place): wait until the store is quiet.
  const quiet = async () => {
    let seen = await events();
    await eventually(async () => {
      await sleep(150);
      const now = await events();
      const still = now === seen;
      seen = now;
      return still;
    });
  };

  const post = (url: string, body?: unknown, as = token) => sut.request('POST', url, { token: as, body });
  /** A JSON body that is not an object, sent as it is. */
  const postRaw = (url: string, json: string, as = token) =>
    sut.request('POST', url, { token: as, body: json, headers: { 'content-type': 'application/json' } });
  const ok = (response: Response, status: number) => {
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response.body as Record<string, string>;
  };

  /** 400 problem+json naming `field`, and not one event or subject key more than before. */
  const refused = async (request: () => Promise<Response>, field: string, message?: RegExp) => {
    const before = { events: await events(), subjects: await subjects() };
    const response = await request();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = response.body as Problem;
    const named = (problem.errors ?? []).filter((e) => e.field === field);
    expect({ field, named: named.length > 0, problem }).toMatchObject({ field, named: true });
    if (message) expect(named.map((e) => e.message).join(' ')).toMatch(message);
    expect({ events: await events(), subjects: await subjects() }).toEqual(before);
  };
  /** Bodies that are not objects: null, an array, a bare string. */
  const notObjects = async (url: string, as = token) => {
    await refused(() => postRaw(url, 'null', as), 'body', /not null/);
    await refused(() => postRaw(url, '[]', as), 'body', /not an array/);
    await refused(() => postRaw(url, '"accept"', as), 'body', /not a string/);
  };

  const applicationBody = (name: string, born: string, options: { synthetic?: boolean } = {}) => ({
    child: {
      name,
      nationalId: fodselsnummerFor(born, 0, options),
      gender: 'female',
      district: 'Østbyen',
      address: 'Ranheimsvegen 1, 7054 Ranheim',
    },
    guardian: { name: `Guardian of ${name}`, email: 'guardian@example.no' },
    specialNeeds: false,
    appliedAt: '2025-08-01T09:00:00Z',
  });
  const applyUrl = () => `/waitlist/offerings/${offeringId}/applications`;

  beforeAll(async () => {
    sut = await startAppUnderTest(WaitlistApp, {
      migrations: [...admissionMigrations, ...personalDataMigrations],
      // Read through the validated configuration: a synthetic number below is accepted only because of this.
      env: { ACCEPT_SYNTHETIC_NATIONAL_IDS: '1' },
      clock,
    });
    token = await sut.token('caseworker');
    admin = await sut.token('admin');
    const opened = await post('/enrolment/offerings', {
      ...{ subject: 'Talentprogram fiolin', subjectGroup: 'music', programme: 'deepening' },
      ...{ location: 'Ranheim', district: 'Østbyen', form: 'individual', capacity: 2 },
      ...{ feePerSemesterNok: 2105, schoolYear: '2025-2026' },
    });
    offeringId = ok(opened, 201).offeringId ?? '';
    await eventually(async () => (await typed('WaitlistOpened')) === 1);
    await quiet();
  });
  afterAll(async () => sut.close());

  describe('submit an application', () => {
    it('refuses a body that is not an object', () => notObjects(applyUrl()));

    it('refuses a missing child or guardian, naming it', async () => {
      const { child, guardian, ...rest } = applicationBody('Ada', '2014-01-01');
      await refused(() => post(applyUrl(), { ...rest, guardian }), 'child', /child must be an object/);
      await refused(() => post(applyUrl(), { ...rest, child }), 'guardian', /guardian must be an object/);
      await refused(() => post(applyUrl(), { ...rest, child: [], guardian }), 'child');
      await refused(() => post(applyUrl(), { ...rest, child: null, guardian }), 'child');
    });

    it('refuses a NUL character in a name or an address, naming the field', async () => {
      const body = applicationBody('Ada', '2014-01-01');
      await refused(
        () => post(applyUrl(), { ...body, child: { ...body.child, name: 'Ada\u0000' } }),
        'child.name',
        /name must not contain control characters/,
      );
      await refused(
        () => post(applyUrl(), { ...body, guardian: { ...body.guardian, name: 'Kari\u0000Nordmann' } }),
        'guardian.name',
      );
      await refused(
        () => post(applyUrl(), { ...body, child: { ...body.child, address: 'Ranheimsvegen 1\u0000' } }),
        'child.address',
      );
    });

    it('refuses an invalid national id, naming the field and storing no personal data', () =>
      refused(
        () =>
          post(applyUrl(), {
            ...applicationBody('Ada', '2014-01-01'),
            child: { name: 'Ada', nationalId: '17051450001', gender: 'female', district: 'Østbyen' },
          }),
        'child.nationalId',
      ));

    it('still queues the children, a synthetic test number included when the configuration allows it', async () => {
      for (const [name, born, synthetic] of [
        ['Astrid', '2014-02-01', false],
        ['Brita', '2015-06-01', true],
        ['Cecilie', '2013-03-01', false],
      ] as const) {
        const submitted = ok(await post(applyUrl(), applicationBody(name, born, { synthetic })), 201);
        applications[name] = submitted.applicationId ?? '';
      }
      expect(await typed('ApplicationSubmitted')).toBe(3);
      await quiet();
    });
  });

  describe('offer a seat after audition', () => {
    const url = () => `/waitlist/offerings/${offeringId}/audition-offers`;

    it('refuses a body that is not an object, and a missing or malformed application id', async () => {
      await notObjects(url(), admin);
      await refused(() => post(url(), {}, admin), 'applicationId');
      await refused(() => post(url(), { applicationId: 'not-a-uuid' }, admin), 'applicationId');
    });

    it('still offers the jury’s choices a seat', async () => {
      for (const name of ['Astrid', 'Brita']) {
        const offered = ok(await post(url(), { applicationId: applications[name] }, admin), 201);
        expect(offered.offeringId).toBe(offeringId);
        offers[name] = offered.offerId ?? '';
      }
      expect(await typed('PlaceOffered')).toBe(2);
      await quiet();
    });
  });

  describe('answer an offer', () => {
    const url = (name: string, answer: 'accept' | 'decline') =>
      `/waitlist/offerings/${offeringId}/offers/${offers[name] ?? ''}/${answer}`;

    it('refuses a body that is not an object on either answer', async () => {
      await notObjects(url('Astrid', 'accept'));
      await notObjects(url('Brita', 'decline'));
    });

    it('still accepts with no body or an empty one, and declines', async () => {
      expect(ok(await post(url('Astrid', 'accept')), 200)).toMatchObject({ status: 'accepted' });
      expect(ok(await post(url('Brita', 'decline'), {}), 200)).toMatchObject({ status: 'declined' });
      expect([await typed('OfferAccepted'), await typed('OfferDeclined')]).toEqual([1, 1]);
      // The accepted offer becomes a place through the admission process.
      await eventually(async () => (await typed('PlaceEnrolled')) === 1);
      // The declined offer's seat goes back to the offering (and, admitting by audition, to nobody from the queue).
      await eventually(async () => (await typed('SeatReservationReleased')) === 1);
      await quiet();
    });
  });

  describe('reconfirm an application', () => {
    const url = () => `/waitlist/offerings/${offeringId}/applications/${applications.Cecilie ?? ''}/reconfirm`;

    it('refuses a body that is not an object, and a missing or malformed school year', async () => {
      await notObjects(url());
      await refused(() => post(url(), {}), 'schoolYear', /schoolYear must look like 2025-2026: two consecutive years/);
      await refused(() => post(url(), { schoolYear: '2026/27' }), 'schoolYear');
      await refused(() => post(url(), { schoolYear: '2026-2027', confirmedBy: 'x' }), 'confirmedBy');
    });

    it('still reconfirms for the coming school year', async () => {
      expect(ok(await post(url(), { schoolYear: '2026-2027' }), 200)).toMatchObject({
        applicationId: applications.Cecilie,
        reconfirmedFor: '2026-2027',
      });
      expect(await typed('ApplicationReconfirmed')).toBe(1);
    });
  });

  describe('withdraw an application', () => {
    const url = () => `/waitlist/offerings/${offeringId}/applications/${applications.Cecilie ?? ''}/withdraw`;

    it('refuses a body that is not an object', () => notObjects(url()));

    it('still withdraws', async () => {
      expect(ok(await post(url()), 200)).toMatchObject({ applicationId: applications.Cecilie, status: 'withdrawn' });
      expect(await typed('ApplicationWithdrawn')).toBe(1);
    });
  });

  describe('personal data', () => {
    it('kept every name, address and national id out of the events', async () => {
      const { rows } = await sut.db.pool.query<{ type: string; data: unknown; metadata: unknown }>(
        'SELECT event_type AS type, data, metadata FROM es_events',
      );
      expect(rows.filter((row) => row.type === 'ApplicationSubmitted')).toHaveLength(3);
      const written = JSON.stringify(rows);
      const texts = ['Astrid', 'Brita', 'Cecilie', 'Guardian of', 'Ranheimsvegen', fodselsnummerFor('2014-02-01')];
      expect(texts.filter((text) => written.includes(text))).toEqual([]);
    });
  });
});
