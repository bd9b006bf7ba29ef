import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, AdmissionProcessManager, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import type { RecordedEvent } from '#libs/event-store';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  registerPerson,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';

const AdmissionApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  ProjectionsModule.register({ projections: [waitlistQueueProjection], run: true, idleMs: 20 }),
);

const DAY = 24 * 60 * 60 * 1000;

describe('admission end to end: a full class, a withdrawal, an offer that lapses, the next child accepts', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T10:00:00Z'));
  let sut: AppUnderTest;
  let token: string;
  let offeringId: string;

  const events = async (type: string): Promise<RecordedEvent[]> => {
    return (await committedEvents(sut.db.pool, [type])).filter(
      (e) => (e.data as { offeringId?: string }).offeringId === offeringId,
    );
  };
  const apply = (name: string, nationalId: string, appliedAt: string) =>
    sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
      token,
      body: {
        child: { name, nationalId, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
        guardian: { name: `Guardian of ${name}`, email: 'guardian@example.no' },
        specialNeeds: false,
        appliedAt,
      },
    });

  type QueueItem = { childId: string; position: number; reasons: string[]; childName?: string };
  /** The read model once it has applied the newest event it reads (its freshness reaches that position). */
  const readModel = async <T>(path: string): Promise<T> =>
    eventually(async () => {
      // The newest committed event it reads (SQL, not the safe head, which may trail while other writes run).
      const { rows } = await sut.db.pool.query<{ head: string | null }>(
        'SELECT max(position)::text AS head FROM es_events WHERE event_type = ANY ($1)',
        [waitlistQueueProjection.eventTypes],
      );
      const head = BigInt(rows[0]?.head ?? '0');
      const response = await sut.request('GET', path, { token });
      const body = response.body as T & { freshness: { position: string } };
      return response.status === 200 && BigInt(body.freshness.position) >= head ? body : undefined;
    });
  const queue = () => readModel<{ items: QueueItem[] }>(`/waitlist/queue?offeringId=${offeringId}&names=true`);
  const offers = () =>
    readModel<{ items: { childId: string; deadline: string }[] }>(`/waitlist/queue/offers?offeringId=${offeringId}`);

  beforeAll(async () => {
    // Silence counts as a lapse this school year (POLICIES_FILE), so the test can show an offer lapsing and moving on.
    const policies = path.join(await mkdtemp(path.join(os.tmpdir(), 'policies-')), 'policies.json');
    await writeFile(policies, JSON.stringify({ waitlist: { '2025-2026': { silenceMeansAcceptance: false } } }));
    sut = await startAppUnderTest(AdmissionApp, {
      env: { POLICIES_FILE: policies },
      migrations: [...admissionMigrations, ...personalDataMigrations, ...projectionsMigrations],
      clock,
    });
    token = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('moves the seat along the queue by the policy and enrols the child who accepts', async () => {
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token,
      body: {
        subject: 'Fiolin',
        subjectGroup: 'music',
        programme: 'core',
        location: 'Huseby',
        district: 'Heimdal',
        form: 'individual',
        capacity: 2,
        feePerSemesterNok: 2105,
        schoolYear: '2025-2026',
      },
    });
    assert.equal(opened.status, 201);
    offeringId = (opened.body as { offeringId: string }).offeringId;
    await eventually(async () => (await events('WaitlistOpened')).length === 1);

    // A full class: two students enrolled directly.
    const placeIds: string[] = [];
    for (const [n, studentId] of [
      await registerPerson(sut, token, { birthYear: 2012, gender: 'male' }),
      await registerPerson(sut, token, { birthYear: 2013, gender: 'male' }),
    ].entries()) {
      const enrolled = await sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
        token,
        body: { studentId, birthYear: 2012 + n, gender: 'male', district: 'Heimdal', school: 'Huseby skole' },
      });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      placeIds.push((enrolled.body as { placeId: string }).placeId);
    }

    // Three applications; by application date the order is Brita, Astrid, Cecilie.
    const astrid = await apply('Astrid', fodselsnummerFor('2015-02-01'), '2025-03-01T09:00:00Z');
    const brita = await apply('Brita', fodselsnummerFor('2016-06-01'), '2025-02-01T09:00:00Z');
    const cecilie = await apply('Cecilie', fodselsnummerFor('2014-01-01'), '2025-04-01T09:00:00Z');
    for (const response of [astrid, brita, cecilie]) assert.equal(response.status, 201, JSON.stringify(response.body));
    const childOf = (response: typeof astrid) => (response.body as { childId: string }).childId;
    const submitted = await events('ApplicationSubmitted');
    assert.equal(submitted.length, 3);
    assert.ok(
      submitted.every(
        (e) =>
          !JSON.stringify(e.data).includes('Astrid') &&
          !JSON.stringify(e.data).includes('guardian@') &&
          !JSON.stringify(e.metadata).includes('guardian@'),
      ),
      'no names or contact details in events',
    );
    assert.equal((await events('PlaceOffered')).length, 0, 'a full class offers nothing');
    const waiting = await queue();
    assert.deepEqual(
      waiting.items.map((i) => [i.childName, i.position]),
      [
        ['Brita', 1],
        ['Astrid', 2],
        ['Cecilie', 3],
      ],
      'the read model shows the queue in policy order, with names for the case worker',
    );
    assert.deepEqual(waiting.items[0]?.reasons, ['has no place', 'applied 2025-02-01', 'born 2016-06']);

    // A withdrawal whose last day is today keeps its seat through today, so no date counts more places than seats;
    // the next morning the seat is free and the next child by the policy (Brita, earliest application) gets the offer.
    const withdrawn = await sut.request('POST', `/enrolment/offerings/${offeringId}/places/${placeIds[0]}/withdraw`, {
      token,
      body: { effectiveOn: '2025-09-01' },
    });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    await sut.app.get(AdmissionProcessManager).releaseEndedSeats();
    assert.equal((await events('PlaceOffered')).length, 0, 'the seat is held through the last day');
    clock.advance(DAY);
    // The daily tick, on demand (again until admission has seen the withdrawal and noted the seat's last day).
    const [first] = await eventually(async () => {
      await sut.app.get(AdmissionProcessManager).releaseEndedSeats();
      const offers = await events('PlaceOffered');
      return offers.length === 1 ? offers : undefined;
    });
    const firstOffer = first?.data as { childId: string; offerId: string; deadline: string; reasons: string[] };
    assert.equal(firstOffer.childId, childOf(brita));
    // The answer may come through the whole of the seventh Oslo day (rule 5): until midnight, 9 September.
    assert.equal(firstOffer.deadline, '2025-09-09T22:00:00.000Z');
    assert.ok(
      firstOffer.reasons.some((r) => r.includes('2025-02-01')),
      firstOffer.reasons.join(', '),
    );
    assert.deepEqual(
      (await offers()).items.map((o) => [o.childId, o.deadline]),
      [[childOf(brita), firstOffer.deadline]],
    );
    const named = await readModel<{ items: { childName?: string }[] }>(
      `/waitlist/queue/offers?offeringId=${offeringId}&names=true&limit=1`,
    );
    assert.deepEqual(
      named.items.map((o) => o.childName),
      ['Brita'],
      'the case worker reads whose offers are due',
    );
    assert.deepEqual(
      (await queue()).items.map((i) => i.childName),
      ['Astrid', 'Cecilie'],
    );

    // Nobody answers; eight days later the deadline has passed and the offer lapses; Astrid is next.
    clock.advance(8 * DAY);
    await sut.app.get(AdmissionProcessManager).expireDueOffers();
    await eventually(async () => (await events('OfferLapsed')).length === 1);
    const second = await eventually(async () => {
      const offers = await events('PlaceOffered');
      return offers.length === 2 ? offers[1] : undefined;
    });
    const secondOffer = second.data as { childId: string; offerId: string };
    assert.equal(secondOffer.childId, childOf(astrid));
    assert.deepEqual(
      (await offers()).items.map((o) => o.childId),
      [childOf(astrid)],
      'the lapsed offer is gone',
    );
    assert.deepEqual(
      (await queue()).items.map((i) => [i.childName, i.position]),
      [['Cecilie', 1]],
    );

    // Answering the lapsed offer is refused.
    const late = await sut.request('POST', `/waitlist/offerings/${offeringId}/offers/${firstOffer.offerId}/accept`, {
      token,
    });
    assert.equal(late.status, 409);

    // Astrid accepts and is enrolled from the offer.
    const accepted = await sut.request(
      'POST',
      `/waitlist/offerings/${offeringId}/offers/${secondOffer.offerId}/accept`,
      {
        token,
      },
    );
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const enrolled = await eventually(async () =>
      (await events('PlaceEnrolled')).find(
        (e) => (e.data as { viaOfferId: string | null }).viaOfferId === secondOffer.offerId,
      ),
    );
    assert.equal((enrolled.data as { studentId: string }).studentId, childOf(astrid));
    assert.equal((await events('PlaceEnrolled')).length, 3);
    assert.equal((await events('PlaceOffered')).length, 2, 'no third offer: the class is full again');
    assert.deepEqual((await offers()).items, [], 'no outstanding offers once Astrid accepted');
    const { rows: trail } = await sut.db.pool.query(
      "SELECT count(DISTINCT subject_ref)::int AS n FROM access_trail WHERE action = 'read child name (waitlist)' AND actor_role = 'caseworker'",
    );
    assert.equal((trail[0] as { n: number }).n, 3, 'every child whose name was read is in the access trail');

    // Erasing Cecilie (admin, with a reason) shreds her key: the queue still holds her entry, her name reads as erased.
    const admin = await sut.token('admin');
    const erased = await sut.request('POST', `/people/${childOf(cecilie)}/erase`, {
      token: admin,
      body: { reason: 'The family withdrew consent' },
    });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    const afterErasure = await queue();
    assert.deepEqual(
      afterErasure.items.map((i) => [i.childId, i.childName]),
      [[childOf(cecilie), '[erased]']],
    );
    const { rows: fields } = await sut.db.pool.query('SELECT 1 FROM personal_fields WHERE subject_id = $1', [
      childOf(cecilie),
    ]);
    assert.equal(fields.length, 0, 'her ciphertexts are gone too');
    const replay = await sut.runtime.store.readStream(`trondheim.waitlist.offering-${offeringId}`);
    assert.ok(
      replay.some((e) => (e.data as { childId?: string }).childId === childOf(cecilie)),
      'the stream still replays',
    );
    const erasure = await committedEvents(sut.db.pool, ['PersonalDataErased']);
    assert.equal(erasure.length, 1);
    assert.equal(erasure[0]?.metadata.reason, 'The family withdrew consent');
    assert.equal(erasure[0]?.metadata.actor.role, 'admin');
  });

  it('ranks a waiting child who gets a place elsewhere behind the children without one, and back when it ends', async () => {
    const open = async (subject: string, capacity: number) => {
      const response = await sut.request('POST', '/enrolment/offerings', {
        token,
        body: {
          ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
          ...{ form: 'individual', capacity, feePerSemesterNok: 2105, schoolYear: '2025-2026' },
        },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return (response.body as { offeringId: string }).offeringId;
    };
    const cello = await open('Cello', 1);
    const drums = await open('Trommer', 1);
    offeringId = cello;
    await eventually(async () => (await events('WaitlistOpened')).length === 1);
    // A full class, so the two applications wait.
    const filler = await sut.request('POST', `/enrolment/offerings/${cello}/places`, {
      token,
      body: {
        studentId: await registerPerson(sut, token, { birthYear: 2013, gender: 'male' }),
        ...{ birthYear: 2013, gender: 'male', district: 'Heimdal', school: 'Huseby skole' },
      },
    });
    assert.equal(filler.status, 201, JSON.stringify(filler.body));
    const dina = await apply('Dina', fodselsnummerFor('2015-05-01'), '2025-02-01T09:00:00Z');
    const eirik = await apply('Eirik', fodselsnummerFor('2015-05-02'), '2025-03-01T09:00:00Z');
    const [dinaId, eirikId] = [dina, eirik].map((r) => (r.body as { childId: string }).childId);
    const order = async () => (await queue()).items.map((item) => [item.childId, item.reasons[0]]);
    assert.deepEqual(await order(), [
      [dinaId, 'has no place'],
      [eirikId, 'has no place'],
    ]);

    // Dina gets a place in another offering: in the cello queue she now comes after Eirik, who has none.
    const enrolled = await sut.request('POST', `/enrolment/offerings/${drums}/places`, {
      token,
      body: { studentId: dinaId, birthYear: 2015, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
    });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    await eventually(async () => (await events('ApplicantPlacesChanged')).length === 1);
    assert.deepEqual(await order(), [
      [eirikId, 'has no place'],
      [dinaId, 'already has a place'],
    ]);

    // She gives that place up: first again, as her application date says.
    const placeId = (enrolled.body as { placeId: string }).placeId;
    const withdrawn = await sut.request('POST', `/enrolment/offerings/${drums}/places/${placeId}/withdraw`, {
      token,
      body: { effectiveOn: '2025-12-31' },
    });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    await eventually(async () => (await events('ApplicantPlacesChanged')).length === 2);
    assert.deepEqual(await order(), [
      [dinaId, 'has no place'],
      [eirikId, 'has no place'],
    ]);
  });

  it('answers bad waitlist and enrolment input with a clear 4xx or the replayed first answer, writing nothing twice', async () => {
    const submitted = async () => (await events('ApplicationSubmitted')).length;
    const before = await submitted();
    const body = {
      child: { name: 'Frida', nationalId: fodselsnummerFor('2013-09-09'), gender: 'female', district: 'Heimdal' },
      guardian: { name: 'G', email: 'g@example.no' },
      specialNeeds: false,
    };
    const path = `/waitlist/offerings/${offeringId}/applications`;
    const headers = { 'idempotency-key': 'frida-violin-2025' };
    const first = await sut.request('POST', path, { token, body, headers });
    const again = await sut.request('POST', path, { token, body, headers });
    assert.equal(first.status, 201);
    assert.deepEqual(again.body, first.body, 'a double submit replays the first answer');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const other = await sut.request('POST', path, { token, body: { ...body, specialNeeds: true }, headers });
    assert.equal(other.status, 422, 'the same key with another body');
    assert.equal(await submitted(), before + 1);

    for (const smuggled of [{ status: 'Accepted' }, { role: 'admin' }, { child: { ...body.child, position: 1 } }]) {
      const response = await sut.request('POST', path, { token, body: { ...body, ...smuggled } });
      assert.equal(response.status, 400, JSON.stringify(smuggled));
    }
    const badDate = await sut.request('POST', path, { token, body: { ...body, appliedAt: '01.03.2025' } });
    assert.equal(badDate.status, 400);
    assert.ok((badDate.body as { errors: { field: string }[] }).errors.some((e) => e.field === 'appliedAt'));
    const badWithdrawal = await sut.request(
      'POST',
      `/enrolment/offerings/${offeringId}/places/${offeringId}/withdraw`,
      {
        token,
        body: { effectiveOn: '31.12.2025' },
      },
    );
    assert.equal(badWithdrawal.status, 400);
    assert.equal(await submitted(), before + 1, 'nothing else was written');
  });

  it('refuses an invalid national identity number with 400 naming the field, writing nothing', async () => {
    const before = (await events('ApplicationSubmitted')).length;
    const response = await apply('Dina', '17051450001', '2025-05-01T09:00:00Z');
    assert.equal(response.status, 400);
    const problem = response.body as { errors?: { field: string }[]; detail: string };
    assert.ok(
      problem.errors?.some((e) => e.field === 'child.nationalId'),
      JSON.stringify(problem),
    );
    assert.ok(!problem.detail.includes('17051450001'), 'the number is not echoed');
    assert.equal((await events('ApplicationSubmitted')).length, before);
  });

  it('refuses an application to an unknown offering with 404 and stores no personal data', async () => {
    const subjects = async () =>
      Number((await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM subject_keys')).rows[0]?.n);
    const before = await subjects();
    const response = await sut.request(
      'POST',
      `/waitlist/offerings/0b6f9d7e-1111-4222-8333-944455556666/applications`,
      {
        token,
        body: {
          child: { name: 'Eli', nationalId: fodselsnummerFor('2015-03-03'), gender: 'female', district: 'Heimdal' },
          guardian: { name: 'G', email: 'g@example.no' },
          specialNeeds: false,
        },
      },
    );
    assert.equal(response.status, 404);
    assert.equal(await subjects(), before);
  });
});
