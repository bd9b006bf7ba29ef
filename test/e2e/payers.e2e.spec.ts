import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import type { RecordedEvent } from '#libs/event-store';
import {
  fundingMigrations,
  FundingHttpModule,
  householdStream,
  unbillablePlacesProjection,
  type ChildPayerRegistered,
  type SemesterFeesAssessed,
  type UnbillablePlace,
} from '#libs/funding';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

/*
 * Who pays, over HTTP. One offering (2025-2026, NOK 2,105.00 = 210 500 øre a semester). The Lund guardian applies for
 * three children (born 2012, 2014, 2016) and gives her national id: each accepted offer becomes a place billed to her,
 * with no payer registered by hand. Rule 9: 50% off the first place of the third child with the same payer, so the
 * youngest's place is 105 250 øre off. Per semester she owes 3 × 210 500 − 105 250 = 526 250 øre.
 * A fourth child's application names another payer (a grandparent): that place is billed to him alone (210 500).
 * A child enrolled directly has no guardian: the place is on the worklist (NoPayer) until a caseworker registers one.
 */
const App = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  FundingHttpModule,
  ProjectionsModule.register({ projections: [unbillablePlacesProjection], run: true, idleMs: 20 }),
);

const FEE = 210_500;
const LUND = fodselsnummerFor('1984-04-04');
const GRANDPARENT = fodselsnummerFor('1955-05-05');
const DIRECT_PAYER = fodselsnummerFor('1979-07-07');

describe('payers: the guardian who applies pays unless another is named; unbillable places are listed', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T10:00:00Z'));
  let sut: AppUnderTest;
  let token: string;
  let offeringId: string;
  const children: Record<string, string> = {};
  const placeOf: Record<string, string> = {};

  const events = async (type: string): Promise<RecordedEvent[]> => committedEvents(sut.db.pool, [type]);
  const post = (path: string, body: object) => sut.request('POST', path, { token, body });
  const apply = (name: string, born: string, extra: object) =>
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
      appliedAt: '2025-08-01T09:00:00Z',
      ...extra,
    });
  /** The latest assessment of a payer's semester, once the funding process has made it. */
  const latestFees = (payerId: string, term: 'autumn' | 'spring', owes: number) =>
    eventually(async () => {
      const history = await sut.runtime.store.readStream(householdStream('trondheim', payerId));
      const latest = history
        .filter((e) => e.type === 'SemesterFeesAssessed')
        .map((e) => e.data as SemesterFeesAssessed['data'])
        .filter((a) => a.term === term)
        .at(-1);
      return latest?.owes === owes ? latest : undefined;
    });
  const worklist = async (query: string) =>
    eventually(async () => {
      const { rows } = await sut.db.pool.query<{ head: string | null }>(
        'SELECT max(position)::text AS head FROM es_events WHERE event_type = ANY ($1)',
        [unbillablePlacesProjection.eventTypes],
      );
      const response = await sut.request('GET', `/funding/worklists/unbillable-places${query}`, { token });
      const body = response.body as { items: UnbillablePlace[]; freshness: { position: string } };
      return response.status === 200 && BigInt(body.freshness.position) >= BigInt(rows[0]?.head ?? '0')
        ? body
        : undefined;
    });

  beforeAll(async () => {
    sut = await startAppUnderTest(App, {
      migrations: [...admissionMigrations, ...personalDataMigrations, ...projectionsMigrations, ...fundingMigrations],
      clock,
    });
    token = await sut.token('caseworker');
    const opened = await post('/enrolment/offerings', {
      subject: 'Sang',
      subjectGroup: 'music',
      programme: 'core',
      location: 'Huseby',
      district: 'Heimdal',
      form: 'group',
      capacity: 5,
      feePerSemesterNok: 2105,
      schoolYear: '2025-2026',
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    offeringId = (opened.body as { offeringId: string }).offeringId;
    await eventually(async () => (await events('WaitlistOpened')).length === 1);
  });
  afterAll(async () => sut.close());

  it('bills the places from applications to the applying guardian, or to the payer the application named', async () => {
    for (const [name, born, extra] of [
      ['Ask', '2012-02-02', { guardian: { name: 'Lund', email: 'lund@example.no', nationalId: LUND } }],
      ['Brage', '2014-03-03', { guardian: { name: 'Lund', email: 'lund@example.no', nationalId: LUND } }],
      ['Cora', '2016-06-06', { guardian: { name: 'Lund', email: 'lund@example.no', nationalId: LUND } }],
      [
        'Dag',
        '2013-01-01',
        {
          guardian: { name: 'Lund', email: 'lund@example.no', nationalId: LUND },
          payer: { nationalId: GRANDPARENT },
        },
      ],
    ] as const) {
      const applied = await apply(name, born, extra);
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      children[name] = (applied.body as { childId: string }).childId;
    }
    const submitted = await events('ApplicationSubmitted');
    const payers = submitted.map((e) => (e.data as { payer?: { payerId: string; source: string } }).payer);
    assert.deepEqual(
      payers.map((p) => p?.source),
      ['applicant', 'applicant', 'applicant', 'named'],
    );
    const lundId = payers[0]?.payerId ?? '';
    const grandparentId = payers[3]?.payerId ?? '';
    assert.ok(payers.slice(0, 3).every((p) => p?.payerId === lundId) && grandparentId !== lundId);
    const written = JSON.stringify(submitted.map((e) => [e.data, e.metadata]));
    assert.ok(!written.includes(LUND) && !written.includes(GRANDPARENT), 'no national id in the events');

    // Every application is offered a seat (five free); the family accepts each offer, nothing else.
    const offers = await eventually(async () => {
      const offered = await events('PlaceOffered');
      return offered.length === 4 ? offered : undefined;
    });
    for (const offer of offers) {
      const { offerId } = offer.data as { offerId: string };
      const accepted = await post(`/waitlist/offerings/${offeringId}/offers/${offerId}/accept`, {});
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    }
    const enrolled = await eventually(async () => {
      const placed = await events('PlaceEnrolled');
      return placed.length === 4 ? placed : undefined;
    });
    for (const e of enrolled) {
      const { studentId, placeId } = e.data as { studentId: string; placeId: string };
      const name = Object.keys(children).find((n) => children[n] === studentId) ?? studentId;
      placeOf[name] = placeId;
    }

    const registered = await eventually(async () => {
      const all = await events('ChildPayerRegistered');
      return all.length === 4 ? all.map((e) => e.data as ChildPayerRegistered['data']) : undefined;
    });
    assert.deepEqual(
      registered.map((r) => [Object.keys(children).find((n) => children[n] === r.childId), r.payerId, r.source]).sort(),
      [
        ['Ask', lundId, 'applicant'],
        ['Brage', lundId, 'applicant'],
        ['Cora', lundId, 'applicant'],
        ['Dag', grandparentId, 'named'],
      ],
    );

    // Rule 9 across the three children of the same default payer: the youngest's first place is half price.
    for (const term of ['autumn', 'spring'] as const) {
      const lund = await latestFees(lundId, term, 3 * FEE - FEE / 2);
      assert.deepEqual(
        lund.lines.map((l) => [l.childId, l.kind, l.amount]).sort(),
        [
          [children.Ask, 'BaseFee', FEE],
          [children.Brage, 'BaseFee', FEE],
          [children.Cora, 'BaseFee', FEE],
          [children.Cora, 'SiblingDiscount', -FEE / 2],
        ].sort(),
      );
      const grandparent = await latestFees(grandparentId, term, FEE);
      assert.deepEqual(
        grandparent.lines.map((l) => [l.placeId, l.kind, l.amount]),
        [[placeOf.Dag, 'BaseFee', FEE]],
      );
    }
    const listed = await worklist(`?offeringId=${offeringId}`);
    assert.deepEqual(listed.items, [], 'every place from an application can be billed');
  });

  it('lists a directly enrolled place as having no payer until one is registered, then bills it', async () => {
    // The caseworker registers the child as a person, then enrols the person: no guardian, so no payer.
    const person = await post('/people', { nationalId: fodselsnummerFor('2015-01-15'), name: 'Frid', gender: 'male' });
    assert.equal(person.status, 201, JSON.stringify(person.body));
    const studentId = (person.body as { personId: string }).personId;
    const enrolled = await post(`/enrolment/offerings/${offeringId}/places`, {
      personId: studentId,
      birthYear: 2015,
      gender: 'male',
      district: 'Heimdal',
      school: 'Huseby skole',
    });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    const { placeId } = enrolled.body as { placeId: string };

    const listed = await worklist(`?reason=NoPayer&schoolYear=2025-2026`);
    const row = listed.items.find((r) => r.placeId === placeId);
    assert.deepEqual(row && { ...row, since: undefined }, {
      placeId,
      childId: studentId,
      offeringId,
      schoolYear: '2025-2026',
      semester: 'autumn',
      reasons: ['NoPayer'],
      since: undefined,
      payerId: null,
      withdrawnOn: null,
      withdrawn: false,
    });
    assert.equal(new Date(String(row?.since)).toISOString(), '2025-09-01T10:00:00.000Z');
    assert.ok(!JSON.stringify(listed.items).includes('Huseby skole'), 'ids, no names or schools');

    const registered = await sut.request('PUT', `/funding/children/${studentId}/payer`, {
      token,
      body: { payerNationalId: DIRECT_PAYER },
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const { payerId } = registered.body as { payerId: string };

    const after = await worklist(`?offeringId=${offeringId}`);
    assert.deepEqual(after.items, [], 'the place leaves the worklist once it has a payer');
    const fees = await latestFees(payerId, 'autumn', FEE);
    assert.deepEqual(
      fees.lines.map((l) => [l.placeId, l.kind, l.amount]),
      [[placeId, 'BaseFee', FEE]],
    );
  });

  it('refuses a bad payer number with a 400 and writes nothing', async () => {
    const people = async () =>
      Number((await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM subject_identities')).rows[0]?.n);
    const [before, peopleBefore] = [(await events('ApplicationSubmitted')).length, await people()];
    const refused = await apply('Eli', '2015-05-05', { payer: { nationalId: '12345678901' } });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal((await events('ApplicationSubmitted')).length, before);
    assert.equal(await people(), peopleBefore, "not even the child's identity is stored");
  });

  it('serves the worklist to caseworkers and admins only', async () => {
    const auditor = await sut.token('auditor');
    const response = await sut.request('GET', '/funding/worklists/unbillable-places', { token: auditor });
    assert.equal(response.status, 403);
  });
});
