import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, streamName } from '#libs/event-store';
import { loadCheckpoint, projectionsMigrations, ProjectionRunner } from '#libs/projections';
import { runList } from '#libs/query';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { unbillablePlacesProjection } from './unbillable-places.projection.js';
import { unbillablePlacesSpec, type UnbillablePlace, type UnbillableReason } from './unbillable-places.query.js';

const YEAR = '2025-2026';

describe('unbillable-places read model', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;

  const append = async (tenant: string, stream: string, type: string, data: object) => {
    const event = testEvent(tenant, type, data, { actor: { id: 'cw-1', role: 'caseworker' } });
    await store.appendToStream(stream, [event], { expectedRevision: 'any' });
  };
  const projected = () =>
    eventually(async () => {
      const checkpoint = await loadCheckpoint(db.pool, 'unbillable_places@v1');
      if (!checkpoint) return false;
      const { rowCount } = await db.pool.query(
        'SELECT 1 FROM es_events WHERE position > $1 AND event_type = ANY ($2) LIMIT 1',
        [checkpoint.position, unbillablePlacesProjection.eventTypes],
      );
      return rowCount === 0;
    });
  const list = async (tenant: string, filters: Record<string, unknown> = {}, reason?: UnbillableReason) => {
    await projected();
    const spec = unbillablePlacesSpec((name) => `"public"."${name}"`, reason);
    const result = await runList<UnbillablePlace & Record<string, unknown>>(db.pool, spec, {
      tenant,
      filters,
      paging: { kind: 'offset', page: 1, pageSize: 100 },
    });
    return result;
  };
  const offering = (tenant: string, id: string) => streamName(tenant, 'enrolment', 'offering', id);
  const open = async (tenant: string, fee: object = { feePerSemesterNok: 2105 }) => {
    const offeringId = randomUUID();
    await append(tenant, offering(tenant, offeringId), 'OfferingOpened', {
      offeringId,
      subject: 'Piano',
      subjectGroup: 'music',
      programme: 'core',
      location: 'Byåsen',
      district: 'Lerkendal',
      form: 'individual',
      schoolYear: YEAR,
      capacity: 10,
      openedAt: '2025-06-01T08:00:00.000Z',
      ...fee,
    });
    return offeringId;
  };
  const enrol = async (tenant: string, offeringId: string, childId: string, extra: object = {}) => {
    const placeId = randomUUID();
    await append(tenant, offering(tenant, offeringId), 'PlaceEnrolled', {
      offeringId,
      placeId,
      studentId: childId,
      birthYear: 2014,
      gender: 'female',
      district: 'Lerkendal',
      school: 'Byåsen skole',
      subjectGroup: 'music',
      programme: 'core',
      enrolledAt: '2025-08-20T08:00:00.000Z',
      viaOfferId: null,
      transferredFrom: null,
      ...extra,
    });
    return placeId;
  };
  const registerPayer = (tenant: string, childId: string, payerId: string) =>
    append(tenant, streamName(tenant, 'funding', 'child', childId), 'ChildPayerRegistered', {
      childId,
      payerId,
      previousPayerId: null,
      registeredBy: 'cw-1',
      registeredAt: '2025-09-01T08:00:00.000Z',
      source: 'caseworker',
    });
  const erase = (tenant: string, subjectId: string, erasedAt: string) =>
    append(tenant, streamName(tenant, 'people', 'subject', subjectId), 'PersonalDataErased', { subjectId, erasedAt });
  const rowOf = (items: UnbillablePlace[], placeId: string) => items.find((row) => row.placeId === placeId);

  beforeAll(async () => {
    db = await createTestDatabase('unbillable_places');
    await migrate(db.pool, [...eventStoreMigrations, ...projectionsMigrations]);
    store = new PostgresEventStore(db.pool);
    runner = new ProjectionRunner(db.pool, store, [unbillablePlacesProjection], { idleMs: 20 });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.drop();
  });

  it('lists a place without a payer, with the reason, school year, semester and since when', async () => {
    const offeringId = await open('trondheim');
    const childId = randomUUID();
    const placeId = await enrol('trondheim', offeringId, childId);
    const { items } = await list('trondheim');
    assert.deepEqual(rowOf(items, placeId), {
      placeId,
      childId,
      offeringId,
      schoolYear: YEAR,
      semester: 'autumn',
      reasons: ['NoPayer'],
      since: rowOf(items, placeId)?.since,
      payerId: null,
      withdrawnOn: null,
      withdrawn: false,
    });
    assert.equal(new Date(String(rowOf(items, placeId)?.since)).toISOString(), '2025-08-20T08:00:00.000Z');
  });

  it('drops the place once a payer is registered for the child', async () => {
    const offeringId = await open('trondheim');
    const childId = randomUUID();
    const placeId = await enrol('trondheim', offeringId, childId);
    assert.ok(rowOf((await list('trondheim')).items, placeId));
    await registerPayer('trondheim', childId, randomUUID());
    assert.equal(rowOf((await list('trondheim')).items, placeId), undefined);
  });

  it('lists the places of a payer whose personal data was erased, from the erasure and its semester', async () => {
    const offeringId = await open('trondheim');
    const [childId, payerId] = [randomUUID(), randomUUID()];
    const placeId = await enrol('trondheim', offeringId, childId);
    await registerPayer('trondheim', childId, payerId);
    await erase('trondheim', payerId, '2026-01-15T10:00:00.000Z');
    const row = rowOf((await list('trondheim')).items, placeId);
    assert.deepEqual(row && [row.reasons, row.semester, row.payerId], [['PayerErased'], 'spring', payerId]);
    assert.equal(new Date(String(row?.since)).toISOString(), '2026-01-15T10:00:00.000Z');
  });

  it('lists a place whose offering states no fee, and one in an offering it never saw', async () => {
    const noFee = await open('trondheim', {});
    const childId = randomUUID();
    await registerPayer('trondheim', childId, randomUUID());
    const withoutFee = await enrol('trondheim', noFee, childId);
    const unseen = await enrol('trondheim', randomUUID(), childId);
    const { items } = await list('trondheim', {}, 'FeeMissing');
    assert.deepEqual(rowOf(items, withoutFee)?.reasons, ['FeeMissing']);
    assert.deepEqual(
      [rowOf(items, unseen)?.reasons, rowOf(items, unseen)?.schoolYear, rowOf(items, unseen)?.semester],
      [['FeeMissing'], null, null],
    );
    assert.ok(items.every((row) => row.reasons.includes('FeeMissing')));
  });

  it('lists a transfer once: the new place carries on, the old one leaves the list', async () => {
    const [from, to] = [await open('trondheim'), await open('trondheim')];
    const childId = randomUUID();
    const oldPlace = await enrol('trondheim', from, childId);
    const newPlace = await enrol('trondheim', to, childId, {
      transferredFrom: { offeringId: from, placeId: oldPlace },
    });
    const { items } = await list('trondheim', { childId });
    assert.deepEqual(
      items.map((row) => row.placeId),
      [newPlace],
    );
  });

  it("filters by the whitelisted columns and shows no other tenant's places", async () => {
    const offeringId = await open('oslo');
    const placeId = await enrol('oslo', offeringId, randomUUID());
    const oslo = await list('oslo', { offeringId });
    assert.deepEqual(
      oslo.items.map((row) => row.placeId),
      [placeId],
    );
    assert.equal(oslo.page.kind === 'offset' && oslo.page.total, 1);
    assert.equal(rowOf((await list('trondheim')).items, placeId), undefined);
    assert.equal((await list('oslo', { schoolYear: '2024-2025' })).items.length, 0);
  });
});
