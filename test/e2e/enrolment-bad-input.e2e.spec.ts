import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore } from '#libs/event-store';
import { EnrolmentHttpModule, offeringStream, studentStream } from '#libs/enrolment';
import {} from '#libs/platform';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { platformWith, registerPerson, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { offeringRequest, studentRequest } from './support/enrolment-requests.js';

const EnrolmentApp = platformWith(EnrolmentHttpModule, PersonalDataHttpModule);

/** Every event id in the store, in order: what "nothing was written" is checked against. */
const everyEventId = async (store: EventStore): Promise<string[]> => {
  await store.awaitSettled();
  const ids: string[] = [];
  let fromPosition: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ fromPosition, maxCount: 1000 });
    ids.push(...page.events.map((e) => e.eventId));
    if (page.isEnd || page.lastPosition === undefined) return ids;
    fromPosition = page.lastPosition;
  }
};

const IMPOSSIBLE_DAYS = ['2026-13-01', '2026-12-32', '2025-02-30'];

describe('enrolment refuses bad input at the edge, writing nothing', () => {
  let sut: AppUnderTest;
  let token: string;
  const post = (url: string, body: unknown) => sut.request('POST', url, { token, body });
  const open = async (subject: string, capacity = 5) =>
    ((await post('/enrolment/offerings', offeringRequest(subject, capacity))).body as { offeringId: string })
      .offeringId;
  const enrol = async (offeringId: string, studentId: string) => {
    const response = await post(`/enrolment/offerings/${offeringId}/places`, studentRequest(studentId));
    expect(response.status).toBe(201);
    return (response.body as { placeId: string }).placeId;
  };
  const types = async (stream: string) => (await sut.runtime.store.readStream(stream)).map((e) => e.type);

  /** Sends the request and expects a 400 problem naming `field`, with the store exactly as it was before. */
  const refusedWithNothingWritten = async (url: string, body: unknown, field: string) => {
    const before = await everyEventId(sut.runtime.store);
    const response = await post(url, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((response.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    expect(await everyEventId(sut.runtime.store)).toEqual(before);
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(EnrolmentApp, { migrations: personalDataMigrations });
    token = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('refuses a NUL in the school of an enrolment, and a clean retry then enrols the student', async () => {
    const piano = await open('Piano');
    const studentId = await registerPerson(sut, token);
    const url = `/enrolment/offerings/${piano}/places`;

    await refusedWithNothingWritten(url, studentRequest(studentId, 'Ranheim\u0000skole'), 'school');

    const retry = await post(url, studentRequest(studentId));
    expect(retry.status).toBe(201);
    expect(await types(studentStream('trondheim', studentId))).toEqual(['StudentPlaceTaken']);
    expect(await types(offeringStream('trondheim', piano))).toEqual(['OfferingOpened', 'PlaceEnrolled']);
  });

  it('refuses control characters in the free text of a new offering', async () => {
    await refusedWithNothingWritten('/enrolment/offerings', { ...offeringRequest('Pia\u0000no', 5) }, 'subject');
    await refusedWithNothingWritten(
      '/enrolment/offerings',
      { ...offeringRequest('Piano', 5), location: 'Ran\nheim' },
      'location',
    );
  });

  it('refuses a transfer on 2025-02-30 before the target enrols anyone, so the place can still be transferred', async () => {
    const [guitar, drums] = [await open('Gitar'), await open('Trommer')];
    const studentId = await registerPerson(sut, token);
    const placeId = await enrol(guitar, studentId);
    const url = `/enrolment/offerings/${guitar}/places/${placeId}/transfer`;

    await refusedWithNothingWritten(url, { toOfferingId: drums, effectiveOn: '2025-02-30' }, 'effectiveOn');
    expect(await types(offeringStream('trondheim', drums))).toEqual(['OfferingOpened']);

    const moved = await post(url, { toOfferingId: drums, effectiveOn: '2025-02-28' });
    expect(moved.status).toBe(201);
    expect(await types(studentStream('trondheim', studentId))).toEqual(['StudentPlaceTaken', 'StudentPlaceMoved']);
  });

  it.each(IMPOSSIBLE_DAYS)('refuses %s as a withdrawal, leave or transfer date', async (day) => {
    const [cello, harp] = [await open('Cello'), await open('Harpe')];
    const placeId = await enrol(cello, await registerPerson(sut, token));
    const place = `/enrolment/offerings/${cello}/places/${placeId}`;

    await refusedWithNothingWritten(`${place}/withdraw`, { effectiveOn: day }, 'effectiveOn');
    await refusedWithNothingWritten(`${place}/leave`, { from: day }, 'from');
    await refusedWithNothingWritten(`${place}/leave`, { from: '2026-01-05', until: day }, 'until');
    await refusedWithNothingWritten(`${place}/transfer`, { toOfferingId: harp, effectiveOn: day }, 'effectiveOn');
    expect(await types(offeringStream('trondheim', cello))).toEqual(['OfferingOpened', 'PlaceEnrolled']);
  });
});
