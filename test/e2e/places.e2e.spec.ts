import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { EnrolmentHttpModule, offeringStream, studentStream } from '#libs/enrolment';
import {} from '#libs/platform';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { platformWith, registerPerson, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { offeringRequest, studentRequest } from './support/enrolment-requests.js';

// The people routes beside enrolment's: every student and pupil is registered first.
const EnrolmentApp = platformWith(EnrolmentHttpModule, PersonalDataHttpModule);

describe('places over HTTP: leave, transfer, the two-places rule, Kulturdag', () => {
  let sut: AppUnderTest;
  let token: string;
  const open = async (subject: string, capacity: number) =>
    (
      (await sut.request('POST', '/enrolment/offerings', { token, body: offeringRequest(subject, capacity) })).body as {
        offeringId: string;
      }
    ).offeringId;
  const enrol = (offeringId: string, studentId: string) =>
    sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
      token,
      body: studentRequest(studentId),
    });
  const types = async (stream: string) => (await sut.runtime.store.readStream(stream)).map((e) => e.type);
  const person = () => registerPerson(sut, token);

  beforeAll(async () => {
    sut = await startAppUnderTest(EnrolmentApp, { migrations: personalDataMigrations });
    token = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('puts a place on leave and back, keeping its seat', async () => {
    const piano = await open('Piano', 1);
    const student = await person();
    const { placeId } = (await enrol(piano, student)).body as { placeId: string };
    const leave = await sut.request('POST', `/enrolment/offerings/${piano}/places/${placeId}/leave`, {
      token,
      body: { from: '2026-01-05', until: '2026-03-01' },
    });
    assert.equal(leave.status, 200);
    assert.equal((await enrol(piano, await person())).status, 409, 'the seat is still held during leave');
    const back = await sut.request('POST', `/enrolment/offerings/${piano}/places/${placeId}/return`, { token });
    assert.equal(back.status, 200);
    const again = await sut.request('POST', `/enrolment/offerings/${piano}/places/${placeId}/return`, { token });
    assert.equal(again.status, 409, 'a place not on leave cannot return');
    assert.deepEqual(await types(offeringStream('trondheim', piano)), [
      'OfferingOpened',
      'PlaceEnrolled',
      'PlacePutOnLeave',
      'PlaceReturnedFromLeave',
    ]);
  });

  it('transfers a place: the target enrols, the source releases the seat, the student keeps its count', async () => {
    const guitar = await open('Gitar', 2);
    const drums = await open('Trommer', 1);
    const student = await person();
    const { placeId } = (await enrol(guitar, student)).body as { placeId: string };
    const moved = await sut.request('POST', `/enrolment/offerings/${guitar}/places/${placeId}/transfer`, {
      token,
      body: { toOfferingId: drums, effectiveOn: '2026-01-01' },
    });
    assert.equal(moved.status, 201, JSON.stringify(moved.body));
    assert.deepEqual(await types(offeringStream('trondheim', guitar)), [
      'OfferingOpened',
      'PlaceEnrolled',
      'PlaceTransferredOut',
      'SeatsReleased',
    ]);
    const [, enrolled] = await sut.runtime.store.readStream(offeringStream('trondheim', drums));
    assert.deepEqual((enrolled?.data as { transferredFrom: unknown }).transferredFrom, { offeringId: guitar, placeId });
    assert.deepEqual(await types(studentStream('trondheim', student)), ['StudentPlaceTaken', 'StudentPlaceMoved']);

    const full = await sut.request('POST', `/enrolment/offerings/${guitar}/places/${randomUUID()}/transfer`, {
      token,
      body: { toOfferingId: drums, effectiveOn: '2026-01-01' },
    });
    assert.equal(full.status, 404, 'an unknown place cannot be transferred');
  });

  it('refuses a third place for one student (Trondheim allows two), writing nothing for it', async () => {
    const student = await person();
    const [a, b, c] = [await open('Sang', 5), await open('Fiolin', 5), await open('Cello', 5)];
    assert.equal((await enrol(a, student)).status, 201);
    assert.equal((await enrol(b, student)).status, 201);
    const third = await enrol(c, student);
    assert.equal(third.status, 409);
    assert.match((third.body as { detail: string }).detail, /2 place/);
    assert.deepEqual(await types(offeringStream('trondheim', c)), ['OfferingOpened']);
    assert.deepEqual(await types(studentStream('trondheim', student)), ['StudentPlaceTaken', 'StudentPlaceTaken']);
  });

  it('lets a school join Kulturdag and registers its pupils without names', async () => {
    const admin = await sut.token('admin');
    const joined = await sut.request('POST', '/enrolment/kulturdag/schools/lademoen-skole/join', {
      token: admin,
      body: { schoolYear: '2025-2026', district: 'Østbyen' },
    });
    assert.equal(joined.status, 201);
    const pupils = [];
    for (let n = 0; n < 3; n++) pupils.push({ personId: await person(), birthYear: 2016 });
    const registered = await sut.request('POST', '/enrolment/kulturdag/schools/lademoen-skole/pupils', {
      token,
      body: { schoolYear: '2025-2026', pupils },
    });
    assert.equal(registered.status, 201);
    assert.equal((registered.body as { registered: number }).registered, 3);
    const withName = await sut.request('POST', '/enrolment/kulturdag/schools/lademoen-skole/pupils', {
      token,
      body: { schoolYear: '2025-2026', pupils: [{ ...pupils[0], name: 'Ola' }] },
    });
    assert.equal(withName.status, 400, 'a name is not accepted');
    const notJoined = await sut.request('POST', '/enrolment/kulturdag/schools/tiller-skole/pupils', {
      token,
      body: { schoolYear: '2025-2026', pupils },
    });
    assert.equal(notJoined.status, 404, 'a school that has not joined is not found in Kulturdag');
  });

  it('takes only registered people: a made-up student or pupil id is 404 naming the field, and nothing is written', async () => {
    const piano = await open('Piano', 3);
    const madeUp = randomUUID();
    const enrolled = await enrol(piano, madeUp);
    assert.equal(enrolled.status, 404, JSON.stringify(enrolled.body));
    assert.match(enrolled.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.deepEqual(await types(offeringStream('trondheim', piano)), ['OfferingOpened']);
    assert.deepEqual(await types(studentStream('trondheim', madeUp)), []);

    const known = await person();
    const asPersonId = await sut.request('POST', `/enrolment/offerings/${piano}/places`, {
      token,
      body: { ...studentRequest(known), studentId: undefined, personId: known },
    });
    assert.equal(asPersonId.status, 201, 'personId is the name of the field; studentId the older one');
    assert.equal((asPersonId.body as { studentId: string }).studentId, known);
    const differing = await sut.request('POST', `/enrolment/offerings/${piano}/places`, {
      token,
      body: { ...studentRequest(known), personId: await person() },
    });
    assert.equal(differing.status, 400, 'personId and studentId naming two people');

    const pupils = await sut.request('POST', '/enrolment/kulturdag/schools/lademoen-skole/pupils', {
      token,
      body: {
        schoolYear: '2025-2026',
        pupils: [
          { personId: await person(), birthYear: 2016 },
          { personId: madeUp, birthYear: 2016 },
        ],
      },
    });
    assert.equal(pupils.status, 404);
    assert.equal((pupils.body as { errors?: { field: string }[] }).errors?.[0]?.field, 'pupils[1].personId');
  });
});
