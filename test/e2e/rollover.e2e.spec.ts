import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import {
  admissionMigrations,
  AdmissionModule,
  AdmissionProcessManager,
  PlaceReregistrationProcessManager,
} from '#libs/admission';
import { EnrolmentHttpModule, offeringsProjection } from '#libs/enrolment';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations, type Projection } from '#libs/projections';
import { statisticsMigrations, StatisticsModule, statisticsProjection } from '#libs/statistics';
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

/**
 * Issue 14, rule 6 and rollover over HTTP: in the spring of 2025–26 every place is asked to continue; one student
 * quits, one answers continue, one stays silent (Trondheim: silence continues). The rollover to 2026–27 opens each
 * offering again and moves the continuing places into it from 1 August, so they count in 2026–27 and the quitter
 * does not; run again, it records nothing.
 */

const RolloverApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  ProjectionsModule.register({
    projections: [offeringsProjection, waitlistQueueProjection, statisticsProjection],
    run: true,
    idleMs: 20,
  }),
  StatisticsModule,
);

const LAST_YEAR = '2025-2026';
const NEXT_YEAR = '2026-2027';

describe('rollover (issue 14): places continue into the next school year unless the student quits', () => {
  const clock = new AdjustableClock(new Date('2025-08-15T09:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  const offerings: Record<string, string> = {}; // subject → 2025–26 offering id
  const students: Record<string, { personId: string; placeId: string }> = {};

  const ok = (response: { status: number; body: unknown }, status: number) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body as Record<string, unknown>;
  };
  const eventsOf = async (type: string) => committedEvents(sut.db.pool, [type]);
  const eventCount = async () =>
    Number((await sut.db.pool.query<{ n: string }>('SELECT max(position) AS n FROM es_events')).rows[0]?.n);
  const eventsSince = async (position: number) =>
    (
      await sut.db.pool.query<{ event_type: string; stream_name: string }>(
        'SELECT event_type, stream_name FROM es_events WHERE position > $1 ORDER BY position',
        [position],
      )
    ).rows.map((r) => `${r.event_type} ${r.stream_name}`);
  /** The admission process has handled every committed event it reads: what it would write is written. */
  const processesCaughtUp = () =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ checkpoint: string | null; head: string | null }>(
        `SELECT (SELECT position::text FROM subscription_checkpoints WHERE name = 'admission') AS checkpoint,
                (SELECT max(position)::text FROM es_events WHERE event_type = ANY ($1)) AS head`,
        [sut.app.get(AdmissionProcessManager).readsEventTypes],
      );
      const { checkpoint, head } = rows[0] ?? {};
      return checkpoint != null && head != null && BigInt(checkpoint) >= BigInt(head);
    });
  /** A read model's answer once it has applied the newest committed event it reads. */
  const readModel = async <T>(projection: Projection, path: string, token = admin): Promise<T> =>
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
  /** The offerings read model (no route reads it) has a row for the id. */
  const projected = (table: 'offerings' | 'offering_places', column: string, id?: string) =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [id]);
      return rows.length > 0;
    });
  /** The re-registration process's daily run, once it knows every offering opened so far. */
  const reregistrationDay = async () => {
    await eventually(async () => {
      const { rows } = await sut.db.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM admission_place_reregistrations',
      );
      return Number(rows[0]?.n) >= Object.keys(offerings).length;
    });
    await sut.app.get(PlaceReregistrationProcessManager).runDueReregistrations();
  };
  const open = async (subject: string, capacity: number) =>
    ok(
      await sut.request('POST', '/enrolment/offerings', {
        token: caseworker,
        body: {
          ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
          ...{ form: 'individual', capacity, feePerSemesterNok: 2105, schoolYear: LAST_YEAR },
        },
      }),
      201,
    ).offeringId as string;
  const enrol = async (name: string, subject: string, birthYear: number) => {
    const personId = await registerPerson(sut, caseworker, { birthYear, name, gender: 'female' });
    const { placeId } = ok(
      await sut.request('POST', `/enrolment/offerings/${offerings[subject]}/places`, {
        token: caseworker,
        body: { personId, birthYear, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
      }),
      201,
    );
    students[name] = { personId, placeId: placeId as string };
  };
  const reregister = async (name: string, continues: boolean) =>
    ok(
      await sut.request('POST', `/enrolment/places/${students[name]?.placeId}/reregistration`, {
        token: caseworker,
        body: { continue: continues },
      }),
      200,
    );
  const applicants: Record<string, { childId: string; applicationId: string }> = {};
  const apply = async (name: string, born: string, specialNeeds: boolean) => {
    const body = ok(
      await sut.request('POST', `/waitlist/offerings/${offerings.Piano}/applications`, {
        token: caseworker,
        body: {
          child: { name, nationalId: fodselsnummerFor(born), gender: 'female', district: 'Østbyen' },
          guardian: { name: `Guardian of ${name}`, email: 'guardian@example.no' },
          specialNeeds,
        },
      }),
      201,
    );
    applicants[name] = { childId: body.childId as string, applicationId: body.applicationId as string };
  };
  type QueueItem = { childId: string; position: number; reasons: string[] };
  const queue = async (offeringId: string) =>
    (
      await readModel<{ items: QueueItem[] }>(
        waitlistQueueProjection,
        `/waitlist/queue?offeringId=${offeringId}`,
        caseworker,
      )
    ).items;
  /** The places of a 2026–27 offering, by the 2025–26 place each continues. */
  const continuedPlaces = async () =>
    (await eventsOf('PlaceEnrolled'))
      .map((e) => e.data as { studentId: string; continuesFrom?: { placeId: string }; offeringId: string })
      .filter((d) => d.continuesFrom);
  type Proposal = {
    fromOfferingId: string;
    offeringId: string;
    capacity: number;
    continuingPlaces: unknown[];
    quittingPlaces: number;
    opened: boolean;
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(RolloverApp, {
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
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('asks every place of 2025–26 in the spring, takes the answers and applies silence after 1 May', async () => {
    offerings.Piano = await open('Piano', 2);
    offerings.Gitar = await open('Gitar', 4);
    await enrol('Anna', 'Piano', 2014);
    await enrol('Berit', 'Piano', 2015);
    await enrol('Cecilie', 'Gitar', 2013);
    // Piano is full: Dina (September) and Eva (October, special needs) wait; both reconfirm for 2026–27 in April.
    clock.set('2025-09-01T09:00:00Z');
    await apply('Dina', '2016-02-01', false);
    clock.set('2025-10-01T09:00:00Z');
    await apply('Eva', '2016-06-01', true);

    // 1 April: the request day; every place is asked once, even when the daily run comes twice.
    clock.set('2026-04-01T07:00:00Z');
    await reregistrationDay();
    await reregistrationDay();
    const requested = (await eventsOf('PlaceReregistrationRequested')).map((e) => e.data as { placeId: string });
    assert.deepEqual(
      requested.map((r) => r.placeId).sort(),
      Object.values(students)
        .map((s) => s.placeId)
        .sort(),
    );

    for (const name of ['Dina', 'Eva']) {
      ok(
        await sut.request(
          'POST',
          `/waitlist/offerings/${offerings.Piano}/applications/${applicants[name]?.applicationId}/reconfirm`,
          { token: caseworker, body: { schoolYear: NEXT_YEAR } },
        ),
        200,
      );
    }

    // Anna quits, Berit continues; Cecilie does not answer. The read model finds a place's offering.
    clock.set('2026-04-10T09:00:00Z');
    await projected('offering_places', 'place_id', students.Cecilie?.placeId);
    await reregister('Anna', false);
    await reregister('Berit', true);
    const quit = (await eventsOf('PlaceQuitAtYearEnd')).map((e) => e.data as { placeId: string; lastDay: string });
    assert.deepEqual(
      quit.map((q) => [q.placeId, q.lastDay]),
      [[students.Anna?.placeId, '2026-07-31']],
    );

    // 20 April: reminded, only Cecilie; 2 May: silence continues her place (Trondheim's policy).
    clock.set('2026-04-20T07:00:00Z');
    await reregistrationDay();
    const reminded = (await eventsOf('PlaceReregistrationReminded')).map(
      (e) => (e.data as { placeId: string }).placeId,
    );
    assert.deepEqual(reminded, [students.Cecilie?.placeId]);
    clock.set('2026-05-02T07:00:00Z');
    await reregistrationDay();
    const answers = (await eventsOf('PlaceReregistered')).map((e) => e.data as { placeId: string; answer: string });
    assert.deepEqual(
      answers.map((a) => [a.placeId, a.answer]),
      [
        [students.Berit?.placeId, 'reply'],
        [students.Cecilie?.placeId, 'silence'],
      ],
    );
  });

  it('proposes 2026–27 from 2025–26 and rolls over the places that continue, once', async () => {
    clock.set('2026-06-01T09:00:00Z');
    await projected('offerings', 'offering_id', offerings.Gitar);
    const proposal = ok(
      await sut.request('GET', `/enrolment/school-years/${NEXT_YEAR}/rollover`, { token: admin }),
      200,
    ) as { offerings: Proposal[] };
    const proposed = (id?: string) => proposal.offerings.find((p) => p.fromOfferingId === id);
    assert.deepEqual(
      [proposed(offerings.Piano), proposed(offerings.Gitar)].map((p) => [
        p?.capacity,
        p?.continuingPlaces.length,
        p?.quittingPlaces,
        p?.opened,
      ]),
      [
        [2, 1, 1, false],
        [4, 1, 0, false],
      ],
    );

    const oldQueue = await queue(offerings.Piano ?? '');
    assert.deepEqual(oldQueue.length, 2);

    const rolled = ok(
      await sut.request('POST', `/enrolment/school-years/${NEXT_YEAR}/rollover`, { token: admin, body: {} }),
      200,
    ) as { offerings: { fromOfferingId: string; offeringId: string; continuedPlaces: number }[] };
    assert.equal(rolled.offerings.length, 2);
    const opened = (await eventsOf('OfferingOpened')).map(
      (e) => e.data as { offeringId: string; schoolYear: string; continuesOfferingId?: string },
    );
    const successors = opened.filter((o) => o.schoolYear === NEXT_YEAR);
    assert.deepEqual(successors.map((o) => o.continuesOfferingId).sort(), [offerings.Piano, offerings.Gitar].sort());

    // Berit and Cecilie hold places in the successors; Anna does not.
    const places = await continuedPlaces();
    assert.deepEqual(
      places.map((p) => p.studentId).sort(),
      [students.Berit?.personId, students.Cecilie?.personId].sort(),
    );
    const successorOf = (id?: string) => successors.find((o) => o.continuesOfferingId === id)?.offeringId;
    assert.equal(
      places.find((p) => p.studentId === students.Berit?.personId)?.offeringId,
      successorOf(offerings.Piano),
    );
    const continued = (await eventsOf('PlaceContinued')).map((e) => e.data as { placeId: string; lastDay: string });
    assert.deepEqual(
      continued.map((c) => c.lastDay),
      ['2026-07-31', '2026-07-31'],
    );

    // Dina and Eva wait on the successor in the same order, same children, same application dates and needs; the
    // queue still explains each position. The old entries end as carried over.
    const pianoNext = successorOf(offerings.Piano) ?? '';
    const newQueue = await eventually(async () => {
      const items = await queue(pianoNext);
      return items.length === 2 ? items : undefined;
    });
    assert.deepEqual(
      newQueue.map((i) => [i.childId, i.position]),
      oldQueue.map((i) => [i.childId, i.position]),
    );
    assert.ok(newQueue.every((i) => i.reasons.length > 0));
    const carried = (await eventsOf('ApplicationSubmitted'))
      .map((e) => e.data as { offeringId: string; childId: string; appliedAt: string; specialNeeds: boolean })
      .filter((d) => d.offeringId === pianoNext);
    assert.deepEqual(
      carried.map((d) => [d.childId, d.appliedAt, d.specialNeeds]).sort(),
      [
        [applicants.Dina?.childId, '2025-09-01T09:00:00.000Z', false],
        [applicants.Eva?.childId, '2025-10-01T09:00:00.000Z', true],
      ].sort(),
    );
    const reconfirmed = (await eventsOf('ApplicationReconfirmed')).filter(
      (e) => (e.data as { offeringId: string }).offeringId === pianoNext,
    );
    assert.equal(reconfirmed.length, 2, 'their reconfirmation for 2026–27 goes with them');
    await eventually(async () => (await queue(offerings.Piano ?? '')).length === 0);

    // Again: nothing new is recorded; the proposal now says the offerings are open.
    await processesCaughtUp();
    const before = await eventCount();
    ok(await sut.request('POST', `/enrolment/school-years/${NEXT_YEAR}/rollover`, { token: admin, body: {} }), 200);
    await processesCaughtUp();
    assert.deepEqual(await eventsSince(before), []);
    const again = ok(
      await sut.request('GET', `/enrolment/school-years/${NEXT_YEAR}/rollover`, { token: admin }),
      200,
    ) as { offerings: Proposal[] };
    assert.ok(again.offerings.every((p) => p.opened));
  });

  it('counts the continuing students in 2026–27 (summary from 1 August, GSI as of 1 October) and the quitter not', async () => {
    clock.set('2026-10-02T09:00:00Z');
    const { summary } = await readModel<{ summary: Record<string, number> }>(
      statisticsProjection,
      `/statistics/summary?schoolYear=${NEXT_YEAR}&date=2026-08-01`,
    );
    assert.deepEqual([summary.students, summary.places], [2, 2], 'Berit and Cecilie, one place each');
    assert.equal(summary.waitingChildren, 2, 'Dina and Eva wait for 2026–27');
    const last = await readModel<{ summary: Record<string, number> }>(
      statisticsProjection,
      `/statistics/summary?schoolYear=${LAST_YEAR}&date=2026-07-31`,
    );
    assert.deepEqual([last.summary.students, last.summary.places], [3, 3], 'all three until the year ends');

    // GSI counts what was recorded by 1 October; the store records at the machine's time, not the spec's clock, so
    // (as the statistics specs do) each event gets the recording time its command had.
    const client = await sut.db.pool.connect();
    try {
      await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
      await client.query(`UPDATE es_events SET recorded_at = (metadata->>'occurredAt')::timestamptz`);
      await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    } finally {
      client.release();
    }
    const gsi = ok(await sut.request('GET', '/statistics/gsi/2026', { token: admin }), 200) as {
      items: { line: string; total: number }[];
    };
    const line = (id: string) => gsi.items.find((item) => item.line === id)?.total;
    assert.deepEqual([line('A4'), line('A5')], [2, 2], 'students and places as of 1 October 2026');
    assert.equal(line('A6'), 2, 'waiting children as of 1 October 2026');
    const gsi2025 = ok(await sut.request('GET', '/statistics/gsi/2025', { token: admin }), 200) as {
      items: { line: string; total: number }[];
    };
    assert.equal(gsi2025.items.find((item) => item.line === 'A4')?.total, 3, 'all three as of 1 October 2025');
  });
});
