import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, AdmissionProcessManager, admissionMigrations } from '#libs/admission';
import {
  auditMentionsProjection,
  auditMigrations,
  AuditModule,
  type HistoryEntry,
  type PersonInHistory,
} from '#libs/audit';
import { EnrolmentHttpModule, offeringsProjection } from '#libs/enrolment';
import { verifyIntegrity } from '#libs/event-store';
import { feeWaiversProjection, fundingMigrations, FundingHttpModule } from '#libs/funding';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { eventTypesOf, loadCheckpoint, projectionsMigrations, ProjectionsModule } from '#libs/projections';
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

const projections = [offeringsProjection, waitlistQueueProjection, feeWaiversProjection, auditMentionsProjection];

const AuditedApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  FundingHttpModule,
  ProjectionsModule.register({ projections, run: true, idleMs: 20 }),
  AuditModule,
);

interface HistoryAnswer {
  id: string;
  entries: HistoryEntry[];
  linked: { field: string; id: string }[];
  people?: PersonInHistory[];
}

/** The offering as the test folds it by hand: the facts an auditor would read off the events one by one. */
interface OfferingByHand {
  status: string;
  offeringId: string;
  capacity: number;
  details: Record<string, unknown>;
  places: Record<string, { placeId: string; studentId: string; status: string }>;
}

describe('audit end to end: the life of a child, erased, as an auditor sees it', () => {
  const clock = new AdjustableClock(new Date('2025-06-02T09:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;
  let admin: string;
  let auditor: string;
  let offeringId: string;
  let childId: string;
  let waitingChildId: string;
  let payerId: string;
  let waiverApplicationId: string;
  let placeOfOtherStudent: string;
  let whileWaiting: Date;
  let otherStudent: string;
  const payerNationalId = fodselsnummerFor('1985-04-12');

  const ok = (response: { status: number; body: unknown }, status = 200) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body as Record<string, string>;
  };
  const post = (url: string, body: unknown, token = caseworker, headers: Record<string, string> = {}) =>
    sut.request('POST', url, { token, body, headers });
  const get = (url: string, token = auditor) => sut.request('GET', url, { token });
  const typesIn = async (types: readonly string[]) =>
    Number(
      (
        await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events WHERE event_type = ANY ($1)', [
          types,
        ])
      ).rows[0]?.n,
    );
  const history = async (id: string, withPersonalData = false) =>
    ok(
      await get(`/audit/history/${id}${withPersonalData ? '?withPersonalData=true' : ''}`),
    ) as unknown as HistoryAnswer;
  // Every read model has applied every event of its types (checkpoints read from the table itself).
  const readModelsCaughtUp = () =>
    eventually(async () => {
      for (const projection of projections) {
        const checkpoint = await loadCheckpoint(sut.db.pool, `${projection.name}@v${projection.version}`);
        if (!checkpoint) return false;
        const { rowCount } = await sut.db.pool.query(
          'SELECT 1 FROM es_events WHERE position > $1 AND ($2::text[] IS NULL OR event_type = ANY ($2)) LIMIT 1',
          [checkpoint.position, eventTypesOf(projection)],
        );
        if (rowCount !== 0) return false;
      }
      return true;
    });
  /** The figures statistics are made of: offerings and places, waitlist counts, waivers; no names. */
  const statistics = async () => {
    await readModelsCaughtUp();
    const query = async (sql: string) => (await sut.db.pool.query(sql)).rows;
    return {
      offerings: await query('SELECT offering_id, capacity, places_held, status FROM offerings ORDER BY offering_id'),
      places: await query('SELECT place_id, offering_id, student_id FROM offering_places ORDER BY place_id'),
      waiting: await query(
        `SELECT offering_id, status, count(*)::int AS entries FROM waitlist_entries
          GROUP BY offering_id, status ORDER BY offering_id, status`,
      ),
      waivers: await query(
        'SELECT status, level, count(*)::int AS waivers FROM fee_waiver_applications GROUP BY status, level ORDER BY 1, 2',
      ),
    };
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(AuditedApp, {
      migrations: [
        ...admissionMigrations,
        ...personalDataMigrations,
        ...projectionsMigrations,
        ...fundingMigrations,
        ...auditMigrations,
      ],
      clock,
    });
    caseworker = await sut.token('caseworker');
    admin = await sut.token('admin');
    auditor = await sut.token('auditor');
    otherStudent = await registerPerson(sut, caseworker, { birthYear: 2013, gender: 'male' });
  });
  afterAll(async () => sut.close());

  it('the child applies, waits, gets an offer, accepts; the payer gets a waiver that is later revoked', async () => {
    offeringId = ok(
      await post('/enrolment/offerings', {
        subject: 'Fiolin',
        subjectGroup: 'music',
        programme: 'core',
        location: 'Huseby',
        district: 'Heimdal',
        form: 'individual',
        capacity: 1,
        feePerSemesterNok: 2105,
        schoolYear: '2025-2026',
      }),
      201,
    ).offeringId as string;
    await eventually(async () => (await typesIn(['WaitlistOpened'])) === 1);
    placeOfOtherStudent = ok(
      await post(`/enrolment/offerings/${offeringId}/places`, {
        studentId: otherStudent,
        birthYear: 2013,
        gender: 'male',
        district: 'Heimdal',
        school: 'Huseby skole',
      }),
      201,
    ).placeId as string;

    const apply = (name: string, born: string, appliedAt: string) =>
      post(`/waitlist/offerings/${offeringId}/applications`, {
        child: {
          name,
          nationalId: fodselsnummerFor(born),
          gender: 'female',
          district: 'Heimdal',
          school: 'Huseby skole',
        },
        guardian: { name: `Guardian of ${name}`, email: 'guardian@example.no' },
        specialNeeds: false,
        appliedAt,
      });
    childId = ok(await apply('Astrid Aune', '2015-02-01', '2025-05-01T09:00:00Z'), 201).childId as string;
    waitingChildId = ok(await apply('Brita Berg', '2016-06-01', '2025-05-20T09:00:00Z'), 201).childId as string;

    // A moment while the class is full and both children wait (recordedAt is the database's clock).
    await sleep(20);
    whileWaiting = new Date();
    await sleep(20);

    clock.set('2025-06-10T09:00:00Z');
    ok(
      await post(`/enrolment/offerings/${offeringId}/places/${placeOfOtherStudent}/withdraw`, {
        effectiveOn: '2025-06-10',
      }),
    );
    // The seat is held through the last day; the next morning it is free, and the caseworker runs the coming school
    // year's main admission ahead of its day (rule 12), so the seat goes to the queue's head.
    clock.set('2025-06-11T09:00:00Z');
    ok(await post(`/waitlist/offerings/${offeringId}/main-admission`, {}), 202);
    const offered = await eventually(async () => {
      await sut.app.get(AdmissionProcessManager).releaseEndedSeats();
      const { rows } = await sut.db.pool.query<{ data: { offerId: string; childId: string } }>(
        "SELECT data FROM es_events WHERE event_type = 'PlaceOffered'",
      );
      return rows[0]?.data;
    });
    assert.equal(offered.childId, childId, 'the child who applied first gets the seat');
    clock.set('2025-06-12T09:00:00Z');
    ok(await post(`/waitlist/offerings/${offeringId}/offers/${offered.offerId}/accept`, {}));
    await eventually(async () => (await typesIn(['PlaceEnrolled'])) === 2);

    clock.set('2025-06-20T09:00:00Z');
    payerId = ok(
      await sut.request('PUT', `/funding/children/${childId}/payer`, { token: caseworker, body: { payerNationalId } }),
    ).payerId as string;
    const applied = ok(
      await post('/funding/fee-waivers/applications', {
        payerNationalId,
        householdSize: 3,
        householdIncomeNok: 210_000,
        schoolYear: '2025-2026',
      }),
      201,
    );
    waiverApplicationId = applied.applicationId as string;
    assert.equal(applied.householdId, payerId, 'the household is the payer');
    clock.set('2025-06-25T09:00:00Z');
    assert.equal(
      ok(await post(`/funding/fee-waivers/applications/${waiverApplicationId}/decision`, {})).decision,
      'Granted',
    );
    clock.set('2025-11-03T09:00:00Z');
    ok(
      await post(
        `/funding/fee-waivers/applications/${waiverApplicationId}/revoke`,
        { reason: 'The household moved out of the municipality' },
        caseworker,
        { 'x-reason': 'Folkeregisteret: moved to Malvik' },
      ),
    );
    // The funding process reassesses the fees after the revocation: the steps below start from a quiet store.
    const revoked = (await committedEvents(sut.db.pool, ['FeeWaiverRevoked'])).at(-1);
    assert.ok(revoked);
    await eventually(async () => {
      const { rows } = await sut.db.pool.query<{ position: string }>(
        "SELECT position::text FROM subscription_checkpoints WHERE name = 'funding'",
      );
      return rows[0] !== undefined && BigInt(rows[0].position) >= revoked.position;
    });
    await readModelsCaughtUp();
  });

  it('an auditor sees every step of the child’s life in order, with actor, times, command and reason', async () => {
    const found = await history(childId, true);
    const types = found.entries.map((e) => e.type);
    const steps = [
      'ApplicationSubmitted',
      'PlaceOffered',
      'OfferAccepted',
      'PlaceEnrolled',
      'ChildPayerRegistered',
      'FeeWaiverAppliedFor',
      'FeeWaiverGranted',
      'FeeWaiverRevoked',
    ];
    assert.deepEqual(
      types.filter((t) => steps.includes(t)),
      steps,
      `in order: ${types.join(', ')}`,
    );
    const positions = found.entries.map((e) => BigInt(e.position));
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'in $all order',
    );
    const entry = (type: string) => found.entries.find((e) => e.type === type) as HistoryEntry;
    assert.deepEqual(entry('ApplicationSubmitted').actor, { id: 'caseworker-1', role: 'caseworker' });
    assert.equal(entry('ApplicationSubmitted').via, null, 'the application names the child');
    assert.equal(entry('PlaceOffered').actor.role, 'system', 'the admission process made the offer');
    assert.equal(entry('PlaceEnrolled').via, null);
    assert.match(entry('FeeWaiverGranted').via ?? '', new RegExp(`payerId ${payerId}`), 'reached through the payer');
    const revoked = entry('FeeWaiverRevoked');
    assert.equal(revoked.reason, 'Folkeregisteret: moved to Malvik');
    assert.equal(revoked.occurredAt, '2025-11-03T09:00:00.000Z');
    assert.ok(revoked.recordedAt > revoked.occurredAt, 'recorded now, in real time; it happened on the clock’s day');
    assert.match(revoked.command, /^[0-9a-f-]{36}$/);
    assert.ok(revoked.correlationId.length > 0);
    assert.ok(
      found.entries.every((e) => e.actor && e.occurredAt && e.recordedAt && e.command && e.correlationId),
      'every entry says who, when and through which command',
    );
    const child = found.people?.find((p) => p.subjectId === childId);
    assert.deepEqual(
      { erased: child?.erased, name: child?.fields.name, guardian: child?.fields.guardianName },
      { erased: false, name: 'Astrid Aune', guardian: 'Guardian of Astrid Aune' },
    );
    assert.ok(found.people?.some((p) => p.subjectId === payerId && p.fields.nationalId === payerNationalId));
    const { rows } = await sut.db.pool.query(
      "SELECT subject_ref FROM access_trail WHERE outcome = 'read' AND actor_role = 'auditor' AND action = $1",
      ['audit: personal data in a history'],
    );
    assert.deepEqual(rows.map((r: { subject_ref: string }) => r.subject_ref).sort(), [childId, payerId].sort());

    const firstTwo = ok(await get(`/audit/history/${childId}?limit=2`)) as unknown as HistoryAnswer & {
      truncated: boolean;
    };
    assert.deepEqual(
      [firstTwo.entries.map((e) => e.position), firstTwo.truncated],
      [found.entries.slice(0, 2).map((e) => e.position), true],
      'a short page is the start of the same history',
    );
    const withoutPersonalData = await history(childId);
    assert.equal(withoutPersonalData.people, undefined, 'no personal data unless asked for');
    const waiverCase = (await history(waiverApplicationId)).entries.map((e) => e.type);
    assert.deepEqual(
      waiverCase.filter((t) => /^(FeeWaiver|WaiverAllocated|WaiverReleased)/.test(t)),
      ['FeeWaiverAppliedFor', 'WaiverAllocated', 'FeeWaiverGranted', 'FeeWaiverRevoked', 'WaiverReleased'],
      'the case across its own stream and the budget’s',
    );
    assert.ok(waiverCase.includes('SemesterFeesAssessed'), 'and the household’s fee lines, through the household');
  });

  it('erasing the child shreds the personal fields, keeps every step, the statistics and every hash chain', async () => {
    const before = await statistics();
    const historyBefore = await history(childId);
    ok(await post(`/people/${childId}/erase`, { reason: 'The family asked for erasure' }, admin));

    const after = await history(childId, true);
    assert.deepEqual(
      after.entries.slice(0, historyBefore.entries.length).map((e) => [e.position, e.type, e.data]),
      historyBefore.entries.map((e) => [e.position, e.type, e.data]),
      'every step still there, unchanged',
    );
    const erasure = after.entries.at(-1);
    assert.equal(erasure?.type, 'PersonalDataErased');
    assert.equal(erasure?.reason, 'The family asked for erasure');
    assert.deepEqual(erasure?.actor, { id: 'admin-1', role: 'admin' });
    const child = after.people?.find((p) => p.subjectId === childId);
    assert.equal(child?.erased, true);
    assert.ok(
      Object.values(child?.fields ?? {}).every((v) => v === '[erased]'),
      JSON.stringify(child),
    );
    assert.ok(!JSON.stringify(after).includes('Astrid'), 'the name is nowhere in the history');

    assert.deepEqual(await statistics(), before, 'statistics unchanged by the erasure');

    const report = await verifyIntegrity(sut.db.pool);
    assert.equal(
      report.firstBreak,
      undefined,
      JSON.stringify(report.firstBreak, (_k, v: unknown) => String(v)),
    );
    assert.ok(report.eventsChecked >= historyBefore.entries.length + 1);
    const answer = ok(await get('/audit/integrity')) as unknown as { intact: boolean; eventsChecked: number };
    assert.deepEqual([answer.intact, answer.eventsChecked], [true, report.eventsChecked]);
  });

  it('shows an offering as of a past instant exactly as folding its events by hand up to that instant', async () => {
    const stream = `trondheim.enrolment.offering-${offeringId}`;
    const { rows } = await sut.db.pool.query<{ event_type: string; data: Record<string, unknown> }>(
      'SELECT event_type, data FROM es_events WHERE stream_name = $1 AND recorded_at <= $2 ORDER BY stream_revision',
      [stream, whileWaiting],
    );
    let byHand: OfferingByHand | undefined;
    for (const { event_type: type, data } of rows) {
      if (type === 'OfferingOpened') {
        const { offeringId: id, capacity, openedAt: _opened, ...details } = data;
        byHand = { status: 'Open', offeringId: String(id), capacity: Number(capacity), details, places: {} };
      } else if (byHand && type === 'PlaceEnrolled') {
        const placeId = String(data.placeId);
        byHand.places[placeId] = { placeId, studentId: String(data.studentId), status: 'Active' };
      } else if (byHand && type === 'PlaceWithdrawn') {
        delete byHand.places[String(data.placeId)];
      }
    }
    assert.deepEqual(Object.keys(byHand?.places ?? {}), [placeOfOtherStudent], 'then the other student held the seat');
    const details = byHand?.details ?? {};
    const expected = {
      ...byHand,
      details: {
        subject: details.subject,
        subjectGroup: details.subjectGroup,
        programme: details.programme,
        location: details.location,
        district: details.district,
        form: details.form,
        feePerSemesterOre: details.feePerSemesterOre,
        schoolYear: details.schoolYear,
      },
    };
    const asOf = ok(
      await get(`/audit/state?stream=${stream}&until=${encodeURIComponent(whileWaiting.toISOString())}`),
    ) as unknown as { state: unknown; eventsFolded: number; eventsAfter: number; lastEvent: { position: string } };
    assert.deepEqual(asOf.state, expected);
    assert.equal(asOf.eventsFolded, rows.length);
    assert.ok(asOf.eventsAfter >= 2, 'the withdrawal and the new enrolment came after');

    const byPosition = ok(await get(`/audit/state?stream=${stream}&until=${asOf.lastEvent.position}`)) as unknown as {
      state: unknown;
    };
    assert.deepEqual(byPosition.state, expected, 'the same moment named by its position');
    const now = ok(
      await get(`/audit/state?stream=${stream}&until=${encodeURIComponent(new Date().toISOString())}`),
    ) as unknown as {
      state: OfferingByHand;
    };
    assert.deepEqual(
      Object.values(now.state.places).map((p) => p.studentId),
      [childId],
      'today the child who accepted holds it',
    );
    const bad = await get(`/audit/state?stream=${stream}&until=yesterday`);
    assert.equal(bad.status, 400);
  });

  it('rebuilds a read model as of that instant and lists it among the replay sets', async () => {
    const started = await post(
      '/projections/offerings/as-of',
      { name: 'while_waiting', until: whileWaiting.toISOString() },
      auditor,
    );
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const set = await eventually(async () => {
      const { sets } = ok(await get('/audit/replay-sets')) as unknown as { sets: { name: string; status: string }[] };
      return sets.find((s) => s.name === 'while_waiting' && s.status === 'built');
    });
    assert.ok(set);
    const { rows } = ok(await get('/audit/replay-sets/while_waiting/tables/offerings')) as unknown as {
      rows: { offering_id: string; places_held: number }[];
    };
    assert.deepEqual(
      rows.map((r) => [r.offering_id, r.places_held]),
      [[offeringId, 1]],
    );
    assert.equal((await get('/audit/replay-sets/while_waiting/tables/pg_authid')).status, 404);
  });

  it('lets the auditor read the access trail, where a caseworker’s refused audit request stands', async () => {
    const refused = await get(`/audit/history/${childId}`, caseworker);
    assert.equal(refused.status, 403);
    for (const url of ['/audit/access-trail', '/audit/state?stream=x-1&until=1', '/audit/retention/dry-run']) {
      assert.equal((await get(url, caseworker)).status, 403, url);
    }
    const page = ok(await get('/audit/access-trail?outcome=forbidden&role=caseworker&limit=2')) as unknown as {
      items: { actorId: string; action: string; outcome: string; reason: string }[];
      next: string | null;
    };
    assert.equal(page.items.length, 2);
    assert.ok(page.next, 'more than one page');
    const all = ok(await get('/audit/access-trail?outcome=forbidden&action=/audit/history')) as unknown as {
      items: { actorId: string; actorRole: string; action: string; reason: string }[];
    };
    assert.deepEqual(
      all.items.map((i) => [i.actorId, i.actorRole, i.action]),
      [['caseworker-1', 'caseworker', 'GET /audit/history/:id']],
    );
    assert.match(all.items[0]?.reason ?? '', /Role caseworker may not/);
    const next = ok(
      await get(`/audit/access-trail?outcome=forbidden&role=caseworker&limit=2&before=${page.next ?? ''}`),
    ) as unknown as { items: { action: string }[] };
    assert.ok(next.items.length >= 2, 'the older refusals on the next page');
    const reads = ok(await get(`/audit/access-trail?outcome=read&subject=${childId}`)) as unknown as {
      items: { actorRole: string }[];
    };
    assert.ok(reads.items.length >= 1 && reads.items.every((r) => r.actorRole === 'auditor'));
    assert.ok(
      !JSON.stringify(await sut.db.pool.query('SELECT * FROM access_trail').then((r) => r.rows)).includes('Astrid'),
      'no personal data in the trail',
    );
  });

  it('retention: a dry run lists whose data would go and why, and the run erases exactly that', async () => {
    const policy = ok(await get('/audit/retention/policy')) as unknown as {
      events: { eventType: string; record: string }[];
    };
    assert.equal(policy.events.find((e) => e.eventType === 'FeeWaiverGranted')?.record, 'archive');
    assert.equal(policy.events.find((e) => e.eventType === 'ApplicationSubmitted')?.record, 'operational');

    type Standing = { subjectId: string; openPurposes: string[]; fields?: string[] };
    type DryRun = { due: Standing[]; kept: Standing[]; dryRun: boolean; unknownEventTypes: string[] };
    const dryRun = async (at: string) => ok(await get(`/audit/retention/dry-run?at=${at}`)) as unknown as DryRun;
    const whileEnrolled = await dryRun('2030-01-01T00:00:00Z');
    const payerKept = whileEnrolled.kept.find((k) => k.subjectId === payerId);
    assert.match(payerKept?.openPurposes[0] ?? '', new RegExp(`^place .* \\(of ${childId}\\)$`), 'billing goes on');

    // The child (erased) leaves her place at the end of the year; nothing then needs the payer's data any longer.
    const place = (await history(childId)).entries.find((e) => e.type === 'PlaceEnrolled');
    const placeId = (place?.data as { placeId: string }).placeId;
    clock.set('2026-06-01T09:00:00Z');
    ok(await post(`/enrolment/offerings/${offeringId}/places/${placeId}/withdraw`, { effectiveOn: '2026-06-30' }));
    const dry = await dryRun('2030-01-01T00:00:00Z');
    assert.equal(dry.dryRun, true);
    // The student enrolled directly (a registered person) left in June 2025: due as well, and apart from this story.
    const dueOf = (run: DryRun) => run.due.map((d) => d.subjectId).filter((id) => id !== otherStudent);
    assert.ok(
      dry.due.some((d) => d.subjectId === otherStudent),
      'its place ended more than 3 years ago',
    );
    assert.deepEqual(
      dueOf(dry),
      [payerId],
      'the payer: the waiver case is closed, the place it paid for ended more than 3 years ago',
    );
    assert.deepEqual(dry.due.find((d) => d.subjectId === payerId)?.fields, [
      'subject key',
      'householdIncome',
      'nationalId',
    ]);
    const waiting = dry.kept.find((k) => k.subjectId === waitingChildId);
    assert.equal(waiting?.openPurposes.length, 1, 'the child still waiting keeps its data');
    assert.match(waiting?.openPurposes[0] ?? '', /^application /);
    assert.ok(!dry.due.some((d) => d.subjectId === childId), 'an erased child is not erased again');
    assert.deepEqual(dry.unknownEventTypes, [], 'the policy names every event type in the store');
    assert.deepEqual(dueOf(await dryRun('2029-01-01T00:00:00Z')), [], 'not yet three years');
    const trail = await get(`/audit/history/${payerId}?withPersonalData=true`);
    assert.equal(
      (trail.body as HistoryAnswer).people?.find((p) => p.subjectId === payerId)?.erased,
      false,
      'a dry run shreds nothing',
    );

    assert.equal((await post('/audit/retention/run', {}, auditor)).status, 403, 'only an admin erases');
    clock.set('2030-01-01T00:00:00Z');
    const run = ok(await post('/audit/retention/run', {}, admin)) as unknown as {
      erased: string[];
      purge?: { tablesRewritten: boolean; walRemoved: boolean; problem?: string };
    };
    assert.deepEqual([...run.erased].sort(), [payerId, otherStudent].sort());
    assert.deepEqual(run.purge, { tablesRewritten: true, walRemoved: true }, 'their old rows purged from disk');
    const payer = await history(payerId, true);
    assert.equal(payer.people?.find((p) => p.subjectId === payerId)?.erased, true);
    const erasure = payer.entries.find((e) => e.type === 'PersonalDataErased');
    assert.match(erasure?.reason ?? '', /^Retention: no open application, place or fee-waiver case/);
    assert.equal((await verifyIntegrity(sut.db.pool)).firstBreak, undefined, 'the chains hold after the run too');
  });

  it('lets an admin rotate the master key, recorded for auditors; the answer names keys by id only', async () => {
    const status = ok(await get('/people/master-key')) as unknown as Record<string, unknown>;
    assert.match(String(status.masterKeyId), /^[0-9a-f]{16}$/);
    assert.equal(status.subjectKeysOnOtherMasterKeys, 0);
    assert.equal((await post('/people/master-key/rotation', {}, auditor)).status, 403, 'only an admin rotates');
    const report = ok(await post('/people/master-key/rotation', {}, admin)) as unknown as Record<string, unknown>;
    assert.deepEqual(
      [report.masterKeyId, report.subjectKeysRewrapped, report.subjectKeysOnOtherMasterKeys],
      [status.masterKeyId, 0, 0],
      'nothing to re-wrap while the key has not changed',
    );
    const recorded = await committedEvents(sut.db.pool, ['MasterKeyRotated']);
    assert.equal(recorded.length, 1);
    assert.deepEqual(recorded[0]?.metadata.actor, { id: 'admin-1', role: 'admin' });
    assert.equal(recorded[0]?.streamName, `trondheim.people.master-key-${String(status.masterKeyId)}`);
  });

  it('answers 503 with Retry-After, not a stale answer, while an older write is still open', async () => {
    const writer = await sut.db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT pg_current_xact_id()');
      // A newer write completes meanwhile: it must not be read until the older one ends (ADR 0002).
      const cello = {
        ...{ subject: 'Cello', subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
        ...{ form: 'individual', capacity: 1, feePerSemesterNok: 2105, schoolYear: '2030-2031' },
      };
      ok(await post('/enrolment/offerings', cello), 201);
      const busy = await get('/audit/retention/dry-run?at=2030-01-01T00:00:00Z');
      assert.equal(busy.status, 503, JSON.stringify(busy.body));
      assert.equal(busy.headers.get('retry-after'), '5');
      assert.equal((busy.body as { type: string }).type.endsWith('store-busy'), true, JSON.stringify(busy.body));
    } finally {
      await writer.query('COMMIT');
      writer.release();
    }
    assert.equal(
      (await get('/audit/retention/dry-run?at=2030-01-01T00:00:00Z')).status,
      200,
      'and answers once it ends',
    );
  });
});
