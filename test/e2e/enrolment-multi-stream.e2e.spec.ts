import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore, NewEvent } from '#libs/event-store';
import {
  EnrolmentHttpModule,
  evolveStudent,
  initialStudent,
  offeringDecider,
  offeringStream,
  studentStream,
  type OfferingEvent,
  type StudentEvent,
} from '#libs/enrolment';
import {} from '#libs/platform';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { platformWith, registerPerson, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { offeringRequest } from './support/enrolment-requests.js';

type AppendMatch = (streamName: string, events: readonly NewEvent[]) => boolean;

/**
 * The real PostgreSQL store with one interference armed at a time, right before a chosen append: a racing command
 * runs first (so the append meets a stream that changed since the handler checked it), or the append fails once,
 * writing nothing, as a lost connection would.
 */
class InterferingStore implements EventStore {
  private armed?: { match: AppendMatch; interfere: () => Promise<void> };

  constructor(private readonly store: EventStore) {}

  raceBefore(match: AppendMatch, racingCommand: () => Promise<void>): void {
    this.armed = { match, interfere: racingCommand };
  }

  failOnce(match: AppendMatch): void {
    this.armed = {
      match,
      interfere: () => Promise.reject(new Error('connection lost before the append (test)')),
    };
  }

  /** The process "dies" at the matching append: it and every later append fail until disarmed (nothing compensates). */
  dieAt(match: AppendMatch): void {
    this.armed = {
      match,
      interfere: () => {
        this.dead = true;
        return Promise.reject(new Error('the process died (test)'));
      },
    };
  }

  private dead = false;

  /** Whether the armed interference has run. */
  get fired(): boolean {
    return this.armed === undefined;
  }

  disarm(): void {
    this.armed = undefined;
    this.dead = false;
  }

  async appendToStream(...args: Parameters<EventStore['appendToStream']>) {
    if (this.dead) throw new Error('the process is dead (test)');
    const armed = this.armed;
    if (armed?.match(args[0], args[1])) {
      this.armed = undefined;
      await armed.interfere();
    }
    return this.store.appendToStream(...args);
  }
  readStream(...args: Parameters<EventStore['readStream']>) {
    return this.store.readStream(...args);
  }
  readAll(...args: Parameters<EventStore['readAll']>) {
    return this.store.readAll(...args);
  }
  subscribeToAll(...args: Parameters<EventStore['subscribeToAll']>) {
    return this.store.subscribeToAll(...args);
  }
  headPosition() {
    return this.store.headPosition();
  }
  awaitSettled(...args: Parameters<EventStore['awaitSettled']>) {
    return this.store.awaitSettled(...args);
  }
  close() {
    return this.store.close();
  }
}

/** The append of `type` to `stream` (the one a handler makes after its checks). */
const appendOf =
  (stream: string, type: string): AppendMatch =>
  (streamName, events) =>
    streamName === stream && events.some((e) => e.type === type);

const EnrolmentApp = platformWith(EnrolmentHttpModule, PersonalDataHttpModule);

describe('a command over several streams ends completed or compensated when a later write fails', () => {
  let sut: AppUnderTest;
  let store: InterferingStore;
  let token: string;
  let admin: string;
  const tenant = 'trondheim';
  const post = (url: string, body?: unknown, as = token) => sut.request('POST', url, { token: as, body });
  const open = async (subject: string, capacity: number) =>
    ((await post('/enrolment/offerings', offeringRequest(subject, capacity))).body as { offeringId: string })
      .offeringId;
  const enrol = (offeringId: string, studentId: string) =>
    post(`/enrolment/offerings/${offeringId}/places`, {
      studentId,
      birthYear: 2012,
      gender: 'male',
      district: 'Østbyen',
      school: 'Ranheim skole',
    });
  const enrolled = async (offeringId: string, studentId: string) => {
    const response = await enrol(offeringId, studentId);
    expect(response.status).toBe(201);
    return (response.body as { placeId: string }).placeId;
  };
  const types = async (stream: string) => (await sut.runtime.store.readStream(stream)).map((e) => e.type);
  const person = () => registerPerson(sut, token);

  /** The student's places by its own stream, and the places the offerings hold for it: they must agree. */
  const placesOf = async (studentId: string, offeringIds: readonly string[]) => {
    const history = await sut.runtime.store.readStream(studentStream(tenant, studentId));
    const student = history.reduce(
      (state, e) => evolveStudent(state, { type: e.type, data: e.data } as StudentEvent),
      initialStudent,
    );
    const byStudent = student.status === 'Known' ? { ...student.places } : {};
    const byOfferings: Record<string, string> = {};
    for (const offeringId of offeringIds) {
      const events = await sut.runtime.store.readStream(offeringStream(tenant, offeringId));
      const state = events.reduce(
        (s, e) => offeringDecider.evolve(s, { type: e.type, data: e.data } as OfferingEvent),
        offeringDecider.initialState,
      );
      if (state.status === 'NotOpened') continue;
      for (const place of Object.values(state.places)) {
        if (place.studentId === studentId) byOfferings[place.placeId] = offeringId;
      }
    }
    return { byStudent, byOfferings };
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(
      (runtime) => {
        store = new InterferingStore(runtime.store);
        return EnrolmentApp({ ...runtime, store });
      },
      { migrations: personalDataMigrations },
    );
    token = await sut.token('caseworker');
    admin = await sut.token('admin');
  });
  afterEach(() => store.disarm());
  afterAll(async () => sut.close());

  it('enrol: the offering fills between check and write, so the student gives the place up again', async () => {
    const piano = await open('Piano', 1);
    const [student, rival] = [await person(), await person()];
    store.raceBefore(appendOf(offeringStream(tenant, piano), 'PlaceEnrolled'), async () => {
      expect((await enrol(piano, rival)).status).toBe(201);
    });

    const refused = await enrol(piano, student);

    expect(store.fired).toBe(true);
    expect(refused.status).toBe(409);
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken', 'StudentPlaceGivenUp']);
    const places = await placesOf(student, [piano]);
    expect(places.byStudent).toEqual({});
    expect(places.byStudent).toEqual(places.byOfferings);
    expect((await placesOf(rival, [piano])).byOfferings).not.toEqual({});

    const elsewhere = await open('Fiolin', 1);
    const placeId = await enrolled(elsewhere, student);
    expect(await placesOf(student, [piano, elsewhere])).toEqual({
      byStudent: { [placeId]: elsewhere },
      byOfferings: { [placeId]: elsewhere },
    });
  });

  it('enrol: the process dies between the student’s write and the offering’s; the same request again completes it', async () => {
    const cello = await open('Cello', 1);
    const student = await person();
    const body = { studentId: student, birthYear: 2012, gender: 'male', district: 'Østbyen', school: 'Ranheim skole' };
    const headers = { 'idempotency-key': `enrol-${student}` };
    const url = `/enrolment/offerings/${cello}/places`;
    store.dieAt(appendOf(offeringStream(tenant, cello), 'PlaceEnrolled'));

    const died = await sut.request('POST', url, { token, body, headers });
    expect(died.status).toBe(500);
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken']);
    expect((await placesOf(student, [cello])).byOfferings).toEqual({});

    store.disarm();
    const again = await sut.request('POST', url, { token, body, headers });
    expect(again.status).toBe(201);
    const { placeId } = again.body as { placeId: string };
    expect(await placesOf(student, [cello])).toEqual({
      byStudent: { [placeId]: cello },
      byOfferings: { [placeId]: cello },
    });
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken']);
  });

  it('withdraw: the process dies after the student gave the place up; the same request again completes it', async () => {
    const harp = await open('Harpe', 1);
    const student = await person();
    const placeId = await enrolled(harp, student);
    const url = `/enrolment/offerings/${harp}/places/${placeId}/withdraw`;
    const headers = { 'idempotency-key': `withdraw-${placeId}` };
    store.dieAt(appendOf(offeringStream(tenant, harp), 'PlaceWithdrawn'));

    const died = await sut.request('POST', url, { token, body: { effectiveOn: '2025-12-31' }, headers });
    expect(died.status).toBe(500);
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken', 'StudentPlaceGivenUp']);

    store.disarm();
    const again = await sut.request('POST', url, { token, body: { effectiveOn: '2025-12-31' }, headers });
    expect(again.status).toBe(200);
    expect(await placesOf(student, [harp])).toEqual({ byStudent: {}, byOfferings: {} });
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken', 'StudentPlaceGivenUp']);
  });

  it('withdraw: the offering write fails once after the student gave the place up, and is completed', async () => {
    const guitar = await open('Gitar', 2);
    const student = await person();
    const placeId = await enrolled(guitar, student);
    store.failOnce(appendOf(offeringStream(tenant, guitar), 'PlaceWithdrawn'));

    const withdrawn = await post(`/enrolment/offerings/${guitar}/places/${placeId}/withdraw`, {
      effectiveOn: '2025-12-31',
    });

    expect(store.fired).toBe(true);
    expect(withdrawn.status).toBe(200);
    expect(await types(offeringStream(tenant, guitar))).toEqual([
      'OfferingOpened',
      'PlaceEnrolled',
      'PlaceWithdrawn',
      'SeatsReleased',
    ]);
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken', 'StudentPlaceGivenUp']);
    expect(await placesOf(student, [guitar])).toEqual({ byStudent: {}, byOfferings: {} });
  });

  it('withdraw: a racing withdrawal of the same place is refused at the student, writing nothing', async () => {
    const flute = await open('Fløyte', 2);
    const student = await person();
    const placeId = await enrolled(flute, student);
    const url = `/enrolment/offerings/${flute}/places/${placeId}/withdraw`;
    let racing: Awaited<ReturnType<typeof post>> | undefined;
    store.raceBefore(appendOf(offeringStream(tenant, flute), 'PlaceWithdrawn'), async () => {
      racing = await post(url, { effectiveOn: '2026-01-31' });
    });

    const withdrawn = await post(url, { effectiveOn: '2025-12-31' });

    expect(withdrawn.status).toBe(200);
    expect(racing?.status).toBe(404);
    const events = await sut.runtime.store.readStream(offeringStream(tenant, flute));
    expect(
      events.filter((e) => e.type === 'PlaceWithdrawn').map((e) => (e.data as { effectiveOn: string }).effectiveOn),
    ).toEqual(['2025-12-31']);
    expect(await types(studentStream(tenant, student))).toEqual(['StudentPlaceTaken', 'StudentPlaceGivenUp']);
    expect(await placesOf(student, [flute])).toEqual({ byStudent: {}, byOfferings: {} });
  });

  it('transfer: the target closes between check and write, so the student moves back to its place', async () => {
    const [cello, harp, drums] = [await open('Cello', 2), await open('Harpe', 2), await open('Trommer', 2)];
    const student = await person();
    const placeId = await enrolled(cello, student);
    store.raceBefore(appendOf(offeringStream(tenant, harp), 'PlaceEnrolled'), async () => {
      expect((await post(`/enrolment/offerings/${harp}/close`, undefined, admin)).status).toBe(200);
    });

    const refused = await post(`/enrolment/offerings/${cello}/places/${placeId}/transfer`, {
      toOfferingId: harp,
      effectiveOn: '2026-01-01',
    });

    expect(store.fired).toBe(true);
    expect(refused.status).toBe(409);
    expect(await types(offeringStream(tenant, cello))).toEqual(['OfferingOpened', 'PlaceEnrolled']);
    expect(await types(offeringStream(tenant, harp))).toEqual(['OfferingOpened', 'OfferingClosed']);
    expect(await types(studentStream(tenant, student))).toEqual([
      'StudentPlaceTaken',
      'StudentPlaceMoved',
      'StudentPlaceMoved',
    ]);
    expect(await placesOf(student, [cello, harp])).toEqual({
      byStudent: { [placeId]: cello },
      byOfferings: { [placeId]: cello },
    });

    const moved = await post(`/enrolment/offerings/${cello}/places/${placeId}/transfer`, {
      toOfferingId: drums,
      effectiveOn: '2026-01-01',
    });
    expect(moved.status).toBe(201);
    const { toPlaceId } = moved.body as { toPlaceId: string };
    expect(await placesOf(student, [cello, harp, drums])).toEqual({
      byStudent: { [toPlaceId]: drums },
      byOfferings: { [toPlaceId]: drums },
    });
  });

  it('transfer: the source write fails once after the student moved and the target enrolled, and is completed', async () => {
    const [sang, dans] = [await open('Sang', 2), await open('Trompet', 2)];
    const student = await person();
    const placeId = await enrolled(sang, student);
    store.failOnce(appendOf(offeringStream(tenant, sang), 'PlaceTransferredOut'));

    const moved = await post(`/enrolment/offerings/${sang}/places/${placeId}/transfer`, {
      toOfferingId: dans,
      effectiveOn: '2026-01-01',
    });

    expect(store.fired).toBe(true);
    expect(moved.status).toBe(201);
    const { toPlaceId } = moved.body as { toPlaceId: string };
    expect(await types(offeringStream(tenant, sang))).toEqual([
      'OfferingOpened',
      'PlaceEnrolled',
      'PlaceTransferredOut',
      'SeatsReleased',
    ]);
    expect(await placesOf(student, [sang, dans])).toEqual({
      byStudent: { [toPlaceId]: dans },
      byOfferings: { [toPlaceId]: dans },
    });
  });
});
