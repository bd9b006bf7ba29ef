import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { AdmissionModule, AdmissionProcessManager, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import type { RecordedEvent } from '#libs/event-store';
import { headerText, RelayModule, TOPICS } from '#libs/integration';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations, type Projection } from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';

/**
 * Rule 12 (issue 12): a coming school year's seats are not handed out as applications arrive over the spring; they
 * wait for the main admission in June and then go out in queue order (rule 3), one offer at a time (rule 5). Runs
 * the whole chain: waitlist and enrolment over HTTP, the admission process, the read models and the relay to Kafka.
 */

// Like the relay's own specs: a missing broker fails the spec, it is not skipped (jest's global setup starts one).
const brokers = (): string => {
  const value = process.env.KAFKA_BROKERS;
  if (!value || value === 'none') {
    throw new Error('KAFKA_BROKERS is not set: this spec checks the relay on a real broker (java, or KAFKA_BROKERS)');
  }
  return value;
};

const MainAdmissionApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  ProjectionsModule.register({ projections: [waitlistQueueProjection, statisticsProjection], run: true, idleMs: 20 }),
  StatisticsModule,
  RelayModule,
);

const SCHOOL_YEAR = '2026-2027';

interface Received {
  key: string;
  type: string;
  id: string;
  body: Record<string, unknown>;
}

/** Every message of one tenant on the relay's topics, from the beginning (the broker is shared by the specs). */
const consumeTopics = async (tenant: string) => {
  const kafka = new Kafka({
    clientId: 'main-admission-spec',
    brokers: brokers().split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(TOPICS).filter((topic) => !existing.has(topic));
  if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  await admin.disconnect();
  const consumer: Consumer = kafka.consumer({ groupId: `main-admission-spec-${randomBytes(6).toString('hex')}` });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: Object.values(TOPICS), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (headerText(message.headers, 'ce_tenant') !== tenant) return;
      received.push({
        key: message.key?.toString() ?? '',
        type: headerText(message.headers, 'ce_type') ?? '',
        id: headerText(message.headers, 'ce_id') ?? '',
        body: JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>,
      });
    },
  });
  return { received, stop: () => consumer.disconnect() };
};

describe('main admission (rule 12): a coming school year’s seats go out in queue order on one day in June', () => {
  const clock = new AdjustableClock(new Date('2026-02-01T09:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;
  let kafka: Awaited<ReturnType<typeof consumeTopics>>;
  let piano: string;
  let guitar: string;
  let drums: string;
  /** The children by name: their ids from the application, for assertions that read as the story does. */
  const children: Record<string, { childId: string; applicationId: string }> = {};
  const nameOf = (childId: unknown) => Object.keys(children).find((name) => children[name]?.childId === childId);
  const offerTo: Record<string, string> = {}; // child name → offer id

  const ok = (response: { status: number; body: unknown }, status: number) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body as Record<string, unknown>;
  };
  /** Events of one type about the piano offering (waitlist or offering stream), in the order they were committed. */
  const events = async (type: string): Promise<RecordedEvent[]> =>
    (await committedEvents(sut.db.pool, [type])).filter(
      (e) => (e.data as { offeringId?: string }).offeringId === piano,
    );
  const offered = async () => (await events('PlaceOffered')).map((e) => e.data as { offerId: string; childId: string });
  /**
   * The admission process has handled every committed event it reads: an absence of offers is then a decision, not
   * lag. Its checkpoint stays on the last event of its own types (another process's events after it are not its own).
   */
  const admissionCaughtUp = () =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ checkpoint: string | null; head: string | null }>(
        `SELECT (SELECT position::text FROM subscription_checkpoints WHERE name = 'admission') AS checkpoint,
                (SELECT max(position)::text FROM es_events WHERE event_type = ANY ($1)) AS head`,
        [sut.app.get(AdmissionProcessManager).readsEventTypes],
      );
      const { checkpoint, head } = rows[0] ?? {};
      return checkpoint != null && head != null && BigInt(checkpoint) >= BigInt(head);
    });
  /** A read model's answer once it has applied the newest committed event it reads (its freshness reaches it). */
  const readModel = async <T>(projection: Projection, path: string, token = caseworker): Promise<T> =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ head: string | null }>(
        'SELECT max(position)::text AS head FROM es_events WHERE event_type = ANY ($1)',
        [projection.eventTypes],
      );
      const response = await sut.request('GET', path, { token });
      const body = response.body as T & { freshness?: { position: string } };
      const fresh = BigInt(body.freshness?.position ?? '-1') >= BigInt(rows[0]?.head ?? '0');
      return response.status === 200 && fresh ? body : undefined;
    });
  type QueueItem = { childId: string; childName: string; position: number; reasons: string[] };
  const queue = async () =>
    (await readModel<{ items: QueueItem[] }>(waitlistQueueProjection, `/waitlist/queue?offeringId=${piano}&names=true`))
      .items;
  /** The open offers in the read model, in the order they were made, as [child, offer id]. */
  const outstandingOffers = async () => {
    const { items } = await readModel<{ items: { childId: string; offerId: string }[] }>(
      waitlistQueueProjection,
      `/waitlist/queue/offers?offeringId=${piano}`,
    );
    const made = (await offered()).map((o) => o.offerId);
    return items
      .sort((a, b) => made.indexOf(a.offerId) - made.indexOf(b.offerId))
      .map((o) => [nameOf(o.childId), o.offerId]);
  };

  const open = async (subject: string, capacity: number, schoolYear: string) =>
    ok(
      await sut.request('POST', '/enrolment/offerings', {
        token: caseworker,
        body: {
          ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
          ...{ form: 'individual', capacity, feePerSemesterNok: 2105, schoolYear },
        },
      }),
      201,
    ).offeringId as string;
  /** A guardian applies for a piano place; `appliedAt` earlier than today is a paper application registered late. */
  const apply = async (name: string, born: string, appliedAt?: string) => {
    const body = ok(
      await sut.request('POST', `/waitlist/offerings/${piano}/applications`, {
        token: caseworker,
        body: {
          child: { name, nationalId: fodselsnummerFor(born), gender: 'female', district: 'Østbyen' },
          guardian: { name: `Guardian of ${name}`, email: 'guardian@example.no' },
          specialNeeds: false,
          ...(appliedAt ? { appliedAt } : {}),
        },
      }),
      201,
    );
    children[name] = { childId: body.childId as string, applicationId: body.applicationId as string };
  };
  /** A place taken directly in another offering (not through the piano queue). */
  const enrolElsewhere = async (offeringId: string, name: string) =>
    ok(
      await sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
        token: caseworker,
        body: {
          ...{ studentId: children[name]?.childId, birthYear: 2016, gender: 'female' },
          ...{ district: 'Østbyen', school: 'Ranheim skole' },
        },
      }),
      201,
    );
  const answer = async (name: string, answer: 'accept' | 'decline') =>
    ok(
      await sut.request('POST', `/waitlist/offerings/${piano}/offers/${offerTo[name]}/${answer}`, {
        token: caseworker,
      }),
      200,
    );
  /** Waits for the n-th offer of the piano offering and notes whose it is. */
  const nthOffer = async (n: number) => {
    const all = await eventually(async () => {
      const found = await offered();
      return found.length >= n ? found : undefined;
    });
    const offer = all[n - 1];
    assert.ok(offer);
    const name = nameOf(offer.childId);
    assert.ok(name, `offer ${n} to a child of this story`);
    offerTo[name] ??= offer.offerId;
    return name;
  };

  beforeAll(async () => {
    kafka = await consumeTopics('trondheim');
    sut = await startAppUnderTest(MainAdmissionApp, {
      env: { KAFKA_BROKERS: brokers() },
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...projectionsMigrations,
        ...statisticsMigrations,
      ],
      clock,
    });
    caseworker = await sut.token('caseworker');
  });
  afterAll(async () => {
    await kafka?.stop();
    await sut?.close();
  });

  it('keeps the seats back while applications arrive over the spring, and plans them in queue order', async () => {
    // 1 February: the piano offering for next school year opens, with three seats; two offerings of this year too.
    piano = await open('Piano', 3, SCHOOL_YEAR);
    guitar = await open('Gitar', 5, '2025-2026');
    drums = await open('Trommer', 5, '2025-2026');
    await eventually(async () => (await events('WaitlistOpened')).length === 1);

    // The spring's applications, in the order they arrive. Oda applies first but gets a guitar place in February;
    // Siri's paper application from 2 February is registered only in May.
    await apply('Oda', '2016-03-01');
    clock.set('2026-02-15T09:00:00Z');
    await enrolElsewhere(guitar, 'Oda');
    clock.set('2026-03-01T09:00:00Z');
    await apply('Pia', '2016-05-01');
    clock.set('2026-04-01T09:00:00Z');
    await apply('Rune', '2015-09-01');
    // Rule 6: entries from before the April request must be reconfirmed by 1 May, or they are gone by June.
    for (const name of ['Oda', 'Pia']) {
      ok(
        await sut.request(
          'POST',
          `/waitlist/offerings/${piano}/applications/${children[name]?.applicationId}/reconfirm`,
          {
            token: caseworker,
            body: { schoolYear: SCHOOL_YEAR },
          },
        ),
        200,
      );
    }
    clock.set('2026-05-04T09:00:00Z');
    await apply('Siri', '2016-01-01', '2026-02-02T12:00:00Z');
    clock.set('2026-05-20T09:00:00Z');
    await apply('Tor', '2015-11-01');
    const manager = sut.app.get(AdmissionProcessManager);
    await manager.removeUnconfirmed();
    assert.deepEqual(await events('UnconfirmedApplicationRemoved'), [], 'every entry was confirmed for 2026-2027');

    // Three free seats and five children waiting, and still no offer: the seats wait for the main admission.
    await admissionCaughtUp();
    assert.deepEqual(await events('SeatReserved'), []);
    assert.deepEqual(await events('PlaceOffered'), [], 'no seat of a coming school year goes to whoever came first');

    // The queue (rule 3): no place before a place, then the application date; not the order they arrived in.
    const order = ['Siri', 'Pia', 'Rune', 'Tor', 'Oda'];
    const waiting = await queue();
    assert.deepEqual(
      waiting.map((i) => [i.childName, i.position]),
      order.map((name, index) => [name, index + 1]),
    );
    assert.deepEqual(waiting[0]?.reasons, ['has no place', 'applied 2026-02-02', 'born 2016-01']);
    assert.equal(waiting[4]?.reasons[0], 'already has a place');

    // The caseworker's view of the plan: the first three of the queue get the three seats on 15 June.
    const plan = ok(
      await sut.request('GET', `/waitlist/offerings/${piano}/main-admission`, { token: caseworker }),
      200,
    );
    const { offers, ...rest } = plan as { offers: Record<string, unknown>[] };
    assert.deepEqual(rest, {
      offeringId: piano,
      schoolYear: SCHOOL_YEAR,
      day: '2026-06-15',
      status: 'planned',
      freeSeats: 3,
    });
    assert.deepEqual(
      offers.map((o) => [o.seat, o.position, nameOf(o.childId), o.applicationId, o.reasons]),
      waiting.slice(0, 3).map((i, n) => [n + 1, n + 1, i.childName, children[i.childName]?.applicationId, i.reasons]),
    );
  });

  it('runs once, by hand before its day: offers the three seats to the head of the queue, each on a reserved seat', async () => {
    clock.set('2026-06-10T08:00:00Z');
    const run = ok(
      await sut.request('POST', `/waitlist/offerings/${piano}/main-admission`, { token: caseworker }),
      202,
    );
    assert.deepEqual(
      { ...run, revision: typeof run.revision },
      { offeringId: piano, status: 'run', revision: 'number' },
    );

    // One at a time, in queue order; each offer first set a seat aside in the offering.
    assert.deepEqual([await nthOffer(1), await nthOffer(2), await nthOffer(3)], ['Siri', 'Pia', 'Rune']);
    await admissionCaughtUp();
    const reserved = await events('SeatReserved');
    const offerEvents = await events('PlaceOffered');
    assert.deepEqual(
      reserved.map((e) => [(e.data as { offerId: string }).offerId, (e.data as { freeSeats: number }).freeSeats]),
      offerEvents.map((e, n) => [(e.data as { offerId: string }).offerId, 2 - n]),
    );
    reserved.forEach((seat, n) =>
      assert.ok(seat.position < (offerEvents[n]?.position ?? 0n), 'reserved, then offered'),
    );
    // Answers are due by the end of the seventh day in Oslo (rule 5).
    assert.ok(offerEvents.every((e) => (e.data as { deadline: string }).deadline === '2026-06-17T22:00:00.000Z'));

    // Running it again, and the daily tick on the policy day itself, record nothing more.
    const again = ok(
      await sut.request('POST', `/waitlist/offerings/${piano}/main-admission`, { token: caseworker }),
      202,
    );
    assert.equal(again.status, 'run');
    clock.set('2026-06-15T06:00:00Z');
    await sut.app.get(AdmissionProcessManager).runDueMainAdmissions();
    await admissionCaughtUp();
    assert.equal((await events('MainAdmissionRun')).length, 1);
    assert.equal((await offered()).length, 3, 'no seat left to offer');

    // The read model shows the three offers, and Tor and Oda still waiting; the plan says it has run.
    assert.deepEqual(await outstandingOffers(), [
      ['Siri', offerTo.Siri],
      ['Pia', offerTo.Pia],
      ['Rune', offerTo.Rune],
    ]);
    assert.deepEqual(
      (await queue()).map((i) => [i.childName, i.position]),
      [
        ['Tor', 1],
        ['Oda', 2],
      ],
    );
    const plan = ok(
      await sut.request('GET', `/waitlist/offerings/${piano}/main-admission`, { token: caseworker }),
      200,
    );
    assert.deepEqual([plan.status, plan.freeSeats, plan.offers], ['run', 0, []]);
  });

  it('enrols the child who accepts, and moves a declined seat and one enrolment refuses on along the queue', async () => {
    // Siri accepts: enrolled in piano through her offer.
    await answer('Siri', 'accept');
    const enrolled = await eventually(async () =>
      (await events('PlaceEnrolled')).find((e) => (e.data as { viaOfferId?: string }).viaOfferId === offerTo.Siri),
    );
    assert.equal((enrolled.data as { studentId: string }).studentId, children.Siri?.childId);

    // Pia declines: her seat is released and offered to the fourth child, Tor.
    await answer('Pia', 'decline');
    assert.equal(await nthOffer(4), 'Tor');
    const releases = async () =>
      (await events('SeatReservationReleased')).map((e) => {
        const { offerId, reason } = e.data as { offerId: string; reason: string };
        return [offerId, reason];
      });
    assert.deepEqual(await releases(), [[offerTo.Pia, 'offer declined']]);

    // Meanwhile Rune gets guitar and drums places: with two places (rule 2) enrolment refuses him a third.
    clock.set('2026-06-16T08:00:00Z');
    await enrolElsewhere(guitar, 'Rune');
    await enrolElsewhere(drums, 'Rune');
    await answer('Rune', 'accept');
    const [refused] = await eventually(async () => {
      const found = await events('AdmissionRefused');
      return found.length === 1 ? found : undefined;
    });
    const { refusal, ...recorded } = refused?.data as { refusal: { code: string } };
    assert.deepEqual(recorded, {
      ...{ offeringId: piano, offerId: offerTo.Rune, applicationId: children.Rune?.applicationId },
      ...{ childId: children.Rune?.childId, entry: 'kept', refusedAt: clock.now().toISOString() },
    });
    assert.equal(refusal.code, 'StudentHoldsTooManyPlaces');
    // The seat set aside for him is released in the offering, and so offered again.
    await eventually(async () => (await releases()).length === 2);
    assert.deepEqual((await releases())[1], [offerTo.Rune, 'admission refused']);
    // His seat goes to the next child: Oda, who (like Rune now) has a place but applied earlier.
    assert.equal(await nthOffer(5), 'Oda');
    await admissionCaughtUp();
    assert.equal((await offered()).length, 5);
    assert.equal((await events('PlaceEnrolled')).length, 1, 'only Siri holds a piano place');

    // Rune's entry was kept: he waits again, now as a child with places; Tor and Oda hold the open offers.
    const waiting = await queue();
    assert.deepEqual(
      waiting.map((i) => [i.childName, i.position, i.reasons[0]]),
      [['Rune', 1, 'already has a place']],
    );
    assert.deepEqual(await outstandingOffers(), [
      ['Tor', offerTo.Tor],
      ['Oda', offerTo.Oda],
    ]);
  });

  it('counts Siri’s place in the statistics of 2026-2027', async () => {
    const auditor = await sut.token('auditor');
    const { summary } = await readModel<{ summary: Record<string, number> }>(
      statisticsProjection,
      `/statistics/summary?schoolYear=${SCHOOL_YEAR}&date=2026-08-01`,
      auditor,
    );
    assert.deepEqual([summary.students, summary.places], [1, 1], 'Siri, one place');
    // Still waiting at the start of the year: Tor and Oda (offered, not yet answered) and Rune (his entry was kept).
    assert.equal(summary.waitingChildren, 3);
  });

  it('publishes the offers, their answers and the refused admission on Kafka', async () => {
    const key = `trondheim.waitlist.offering-${piano}`;
    // At least once: a message may arrive twice; its ce_id (the domain event's id) tells.
    const ofPiano = () =>
      kafka.received.filter((m, n, all) => m.key === key && all.findIndex((other) => other.id === m.id) === n);
    const published = (
      await committedEvents(sut.db.pool, ['PlaceOffered', 'OfferAccepted', 'OfferDeclined', 'AdmissionRefused'])
    ).filter((e) => e.streamName === key);
    try {
      await eventually(async () => published.every((e) => ofPiano().some((m) => m.id === e.eventId)), 60_000);
    } catch {
      assert.fail(`not every message arrived; received ${JSON.stringify(ofPiano().map((m) => m.type))}`);
    }
    const messages = (type: string) =>
      ofPiano()
        .filter((m) => m.type === `kulturskole.waitlist.${type}.v1`)
        .map((m) => m.body);
    // One offer-made per offer, in the order they were made (checked against the events, so that a wrong offer
    // fails the admission test above, not this one): the four of the story first, on the queue's basis.
    const made = messages('offer-made').map((b) => [b.offerId, nameOf(b.childRef), b.basis]);
    assert.deepEqual(
      made,
      (await offered()).map((o) => [o.offerId, nameOf(o.childId), 'queue']),
    );
    assert.deepEqual(
      made.slice(0, 4),
      ['Siri', 'Pia', 'Rune', 'Tor'].map((name) => [offerTo[name], name, 'queue']),
    );
    assert.deepEqual(
      messages('offer-answered').map((b) => [b.offerId, nameOf(b.childRef), b.answer, b.bySilence]),
      [
        [offerTo.Siri, 'Siri', 'accepted', false],
        [offerTo.Pia, 'Pia', 'declined', false],
        [offerTo.Rune, 'Rune', 'accepted', false],
      ],
    );
    assert.deepEqual(
      messages('admission-refused').map((b) => [b.offerId, nameOf(b.childRef), b.reason, b.entry]),
      [[offerTo.Rune, 'Rune', 'StudentHoldsTooManyPlaces', 'kept']],
    );
  });
});
