import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule, studentStream } from '#libs/enrolment';
import { LOOKUP_ACTION, PersonalDataHttpModule, personalDataMigrations, personStream } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
import {
  committedEvents,
  dNumberFor,
  eventually,
  fodselsnummerFor,
  platformWith,
  registerPerson,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

/**
 * Issue 14, identity: a caseworker finds or registers a child by national identity number; direct enrolment and
 * Kulturdag take that person, so the same child is one id on the waitlist, in a place and in Kulturdag; a D-number
 * replaced by a fødselsnummer, or two registrations merged, stay one person in every count.
 */
const PeopleApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  ProjectionsModule.register({ projections: [statisticsProjection], run: true, idleMs: 20 }),
  StatisticsModule,
);

const SCHOOL_YEAR = '2025-2026';
type Response = Awaited<ReturnType<AppUnderTest['request']>>;

describe('people: look-up, registration, a new number and merges, over HTTP', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T08:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  const post = (url: string, body: unknown, token = caseworker) => sut.request('POST', url, { token, body });
  const ok = (response: Response, status = 200) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body as Record<string, unknown>;
  };
  const problem = (response: Response, status: number) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    return response.body as { detail: string; errors?: { field: string }[] };
  };
  const lookup = async (nationalId: string) => post('/people/lookup', { nationalId });
  const open = async (subject: string, capacity: number, programme = 'core') =>
    ok(
      await post('/enrolment/offerings', {
        ...{ subject, subjectGroup: 'music', programme, location: 'Ranheim', district: 'Østbyen' },
        ...{ form: 'individual', capacity, feePerSemesterNok: 2105, schoolYear: SCHOOL_YEAR },
      }),
      201,
    ).offeringId as string;
  const enrol = (offeringId: string, personId: string, birthYear = 2014) =>
    post(`/enrolment/offerings/${offeringId}/places`, {
      ...{ personId, birthYear, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
    });
  const apply = async (offeringId: string, nationalId: string) =>
    ok(
      await post(`/waitlist/offerings/${offeringId}/applications`, {
        child: { name: 'Mina Berg', nationalId, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
        guardian: { name: 'Kari Berg', email: 'kari@example.no' },
        specialNeeds: false,
      }),
      201,
    ).childId as string;
  const waitlistOpened = (offeringId: string) =>
    eventually(async () =>
      (await committedEvents(sut.db.pool, ['WaitlistOpened'])).some(
        (e) => (e.data as { offeringId: string }).offeringId === offeringId,
      ),
    );
  /** A statistics answer once the read model has applied every event it reads. */
  const statistics = async <T>(path: string): Promise<T> =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ head: string | null }>(
        'SELECT max(position)::text AS head FROM es_events WHERE event_type = ANY ($1)',
        [statisticsProjection.eventTypes],
      );
      const response = await sut.request('GET', path, { token: admin });
      const body = response.body as T & { freshness?: { position: string } };
      const fresh = BigInt(body.freshness?.position ?? '-1') >= BigInt(rows[0]?.head ?? '0');
      return response.status === 200 && fresh ? body : undefined;
    });
  const summary = async () =>
    (
      await statistics<{ summary: { students: number; places: number; waitingChildren: number } }>(
        `/statistics/summary?schoolYear=${SCHOOL_YEAR}&date=${clock.now().toISOString().slice(0, 10)}`,
      )
    ).summary;
  const conversion = async () =>
    (
      await statistics<{ totals: { pupilsReached: number; appliedForCore: number; gotCorePlace: number } }>(
        `/statistics/kulturdag?schoolYear=${SCHOOL_YEAR}&date=${clock.now().toISOString().slice(0, 10)}`,
      )
    ).totals;
  const studentEvents = async (personId: string) =>
    (await sut.runtime.store.readStream(studentStream('trondheim', personId))).map((e) => e.type);

  beforeAll(async () => {
    sut = await startAppUnderTest(PeopleApp, {
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...projectionsMigrations,
        ...statisticsMigrations,
      ],
      clock,
    });
    caseworker = await sut.token('caseworker');
    admin = await sut.token('admin');
    ok(
      await post(
        '/enrolment/kulturdag/schools/lademoen-skole/join',
        { schoolYear: SCHOOL_YEAR, district: 'Østbyen' },
        admin,
      ),
      201,
    );
  });
  afterAll(async () => sut.close());

  it('registers a child once per number and finds it by number, recording each look-up but never the number', async () => {
    const nationalId = fodselsnummerFor('2015-04-12', 3);
    const first = ok(await post('/people', { nationalId, name: 'Ola Aune', gender: 'male' }), 201);
    assert.deepEqual(first, { personId: first.personId, birthDate: '2015-04-12', isNew: true });
    const again = ok(await post('/people', { nationalId, name: 'Ola Aune', gender: 'male' }), 201);
    assert.deepEqual(again, { ...first, isNew: false }, 'the same number is the same person');
    const personId = String(first.personId);
    const registered = await sut.runtime.store.readStream(personStream('trondheim', personId));
    assert.deepEqual(
      registered.map((e) => [e.type, e.data]),
      [
        [
          'PersonRegistered',
          {
            personId,
            birthDate: '2015-04-12',
            gender: 'male',
            numberKind: 'fodselsnummer',
            registeredAt: clock.now().toISOString(),
          },
        ],
      ],
    );

    assert.deepEqual(ok(await lookup(nationalId)), { personId });
    const unknown = fodselsnummerFor('2015-04-13', 3);
    problem(await lookup(unknown), 404);
    assert.deepEqual(
      problem(await lookup('12345678901'), 400).errors?.map((e) => e.field),
      ['nationalId'],
    );
    problem(await post('/people/lookup', { nationalId }, await sut.token('auditor')), 403);

    const { rows } = await sut.db.pool.query<{ subject_ref: string | null; row: string }>(
      'SELECT subject_ref, t::text AS row FROM access_trail t WHERE action = $1 ORDER BY id',
      [LOOKUP_ACTION],
    );
    assert.deepEqual(
      rows.map((r) => r.subject_ref),
      [personId, null],
      'a look-up and its result, found or not',
    );
    const { rows: leaks } = await sut.db.pool.query<{ n: string }>(
      `SELECT ((SELECT count(*) FROM access_trail t WHERE strpos(t::text, $1) > 0 OR strpos(t::text, $2) > 0)
             + (SELECT count(*) FROM es_events e WHERE strpos(e.data::text || e.metadata::text, $1) > 0
                                                   OR strpos(e.data::text || e.metadata::text, $2) > 0))::text AS n`,
      [nationalId, unknown],
    );
    assert.equal(leaks[0]?.n, '0', 'no national id in the trail or in any event');
  });

  it('refuses a made-up person for a place or a Kulturdag pupil, writing nothing', async () => {
    const piano = await open('Piano', 2);
    const before = (await committedEvents(sut.db.pool, ['PlaceEnrolled', 'KulturdagPupilRegistered'])).length;
    const madeUp = 'a0a0a0a0-1111-4222-8333-444455556666';
    problem(await enrol(piano, madeUp), 404);
    const pupils = { schoolYear: SCHOOL_YEAR, pupils: [{ personId: madeUp, birthYear: 2016 }] };
    problem(await post('/enrolment/kulturdag/schools/lademoen-skole/pupils', pupils), 404);
    assert.equal((await committedEvents(sut.db.pool, ['PlaceEnrolled', 'KulturdagPupilRegistered'])).length, before);
  });

  it('counts a Kulturdag pupil who later applied on the waitlist and got a core place: conversion 1', async () => {
    const nationalId = fodselsnummerFor('2016-02-02', 4);
    const pupil = await registerPerson(sut, caseworker, { nationalId });
    ok(
      await post('/enrolment/kulturdag/schools/lademoen-skole/pupils', {
        ...{ schoolYear: SCHOOL_YEAR, pupils: [{ personId: pupil, birthYear: 2016 }] },
      }),
      201,
    );
    clock.set('2025-09-10T08:00:00Z');
    const cello = await open('Cello', 1);
    await waitlistOpened(cello);
    assert.equal(await apply(cello, nationalId), pupil, 'the waitlist knows the pupil by the same person id');
    const offer = await eventually(async () =>
      (await committedEvents(sut.db.pool, ['PlaceOffered']))
        .map((e) => e.data as { offerId: string; offeringId: string; childId: string })
        .find((o) => o.offeringId === cello),
    );
    assert.equal(offer.childId, pupil);
    ok(await post(`/waitlist/offerings/${cello}/offers/${offer.offerId}/accept`, undefined));
    await eventually(async () =>
      (await committedEvents(sut.db.pool, ['PlaceEnrolled'])).some(
        (e) => (e.data as { studentId: string; offeringId: string }).offeringId === cello,
      ),
    );
    const { pupilsReached, appliedForCore, gotCorePlace } = await conversion();
    assert.deepEqual([pupilsReached, appliedForCore, gotCorePlace], [1, 1, 1]);
  });

  it('keeps a child one person when its D-number is replaced by a fødselsnummer', async () => {
    const dNumber = dNumberFor('2014-03-05', 1);
    const fodselsnummer = fodselsnummerFor('2014-03-05', 5);
    const personId = await registerPerson(sut, caseworker, { nationalId: dNumber, birthYear: 2014 });
    ok(await enrol(await open('Fiolin', 3), personId), 201);
    const replace = (nationalId: string, id = personId) =>
      post(`/people/${id}/national-id`, { nationalId, reason: 'Folkeregisteret issued a fødselsnummer' });

    assert.deepEqual(ok(await replace(fodselsnummer)), { personId, replaced: true });
    assert.deepEqual(ok(await replace(fodselsnummer)), { personId, replaced: false }, 'the same number again');
    assert.deepEqual(ok(await lookup(fodselsnummer)), { personId });
    assert.deepEqual(ok(await lookup(dNumber)), { personId }, 'the old D-number still finds the child');
    const stream = await sut.runtime.store.readStream(personStream('trondheim', personId));
    const replaced = stream.find((e) => e.type === 'NationalIdReplaced');
    assert.deepEqual(replaced?.data, {
      ...{ personId, previousKind: 'd-number', numberKind: 'fodselsnummer' },
      replacedAt: clock.now().toISOString(),
    });
    assert.equal(replaced?.metadata.reason, 'Folkeregisteret issued a fødselsnummer');

    assert.deepEqual(
      problem(await replace(dNumberFor('2014-03-05', 2)), 400).errors?.map((e) => e.field),
      ['nationalId'],
    );
    const other = await registerPerson(sut, caseworker, { birthYear: 2014 });
    problem(await replace(fodselsnummer, other), 409);
  });

  it('merges two registrations of one child: one person in the register, in places and in every count', async () => {
    clock.set('2025-09-20T08:00:00Z');
    const dNumber = dNumberFor('2013-06-07', 1);
    const fodselsnummer = fodselsnummerFor('2013-06-07', 6);
    // Registered with a D-number, enrolled directly and reached by Kulturdag; the family later applies with the
    // child's new fødselsnummer, which the waitlist takes as a new child.
    const kept = await registerPerson(sut, caseworker, { nationalId: dNumber, birthYear: 2013 });
    ok(await enrol(await open('Sang', 3), kept, 2013), 201);
    ok(
      await post('/enrolment/kulturdag/schools/lademoen-skole/pupils', {
        ...{ schoolYear: SCHOOL_YEAR, pupils: [{ personId: kept, birthYear: 2013 }] },
      }),
      201,
    );
    // Waiting for a breadth offering under the D-number, for a core one under the fødselsnummer.
    const [full, other] = [await open('Gitar', 1, 'breadth'), await open('Trommer', 1)];
    await Promise.all([waitlistOpened(full), waitlistOpened(other)]);
    ok(await enrol(full, await registerPerson(sut, caseworker)), 201);
    ok(await enrol(other, await registerPerson(sut, caseworker)), 201);
    assert.equal(await apply(full, dNumber), kept);
    const retired = await apply(other, fodselsnummer);
    assert.notEqual(retired, kept, 'two registrations of one child');

    const before = await summary();
    const converted = (await conversion()).appliedForCore;
    const merge = (from: string, into: string) =>
      post('/people/merge', { from, into, reason: 'The D-number and the fødselsnummer are the same child' });
    const written = async () =>
      (await sut.db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events')).rows[0]?.n;
    const unchanged = await written();
    assert.match(problem(await merge(kept, retired), 409).detail, /holds 1 place/);
    assert.equal(await written(), unchanged, 'a refused merge writes nothing');

    assert.deepEqual(ok(await merge(retired, kept)), { personId: kept, retired: [retired], merged: true });
    assert.deepEqual(ok(await merge(retired, kept)), { personId: kept, retired: [], merged: false }, 'idempotent');
    const mergedEvent = (await sut.runtime.store.readStream(personStream('trondheim', retired))).at(-1);
    assert.deepEqual(mergedEvent?.data, {
      ...{ from: retired, into: kept, retiredIds: [retired] },
      mergedAt: clock.now().toISOString(),
    });
    assert.deepEqual(ok(await lookup(fodselsnummer)), { personId: kept });
    assert.deepEqual(ok(await lookup(dNumber)), { personId: kept });
    assert.equal(
      ok(await post('/people', { nationalId: fodselsnummer, name: 'Mina Berg', gender: 'female' }), 201).personId,
      kept,
    );
    problem(
      await post(`/people/${retired}/national-id`, {
        nationalId: fodselsnummerFor('2013-06-07', 7),
        reason: 'A new number',
      }),
      409,
    );

    // Waiting twice (two applications, two ids) counted as one child; the Kulturdag pupil's application is now seen.
    const after = await summary();
    assert.deepEqual(
      [after.students, after.places, after.waitingChildren],
      [before.students, before.places, before.waitingChildren - 1],
    );
    assert.equal((await conversion()).appliedForCore, converted + 1);

    // The retired id enrols the survivor, whose stream counts every place: a third is refused (two per student).
    const enrolled = ok(await enrol(await open('Piano', 3), retired, 2013), 201);
    assert.equal(enrolled.studentId, kept);
    assert.deepEqual(await studentEvents(retired), []);
    assert.match(problem(await enrol(await open('Gitar', 3), kept, 2013), 409).detail, /2 place/);
    const counted = await summary();
    assert.deepEqual([counted.students, counted.places], [after.students, after.places + 1]);
  });
});
