import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, streamName } from '#libs/event-store';
import { loadCheckpoint, projectionsMigrations, ProjectionRunner } from '#libs/projections';
import { createTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { fundingMigrations } from '../funding.migrations.js';
import { feeWaiversProjection } from './fee-waivers.projection.js';
import { FeeWaiversQuery } from './fee-waivers.query.js';

const YEAR = '2025-2026';

describe('fee-waivers read model', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let query: FeeWaiversQuery;

  const append = async (tenant: string, stream: string, type: string, data: object) => {
    const actor = { id: 'cw-1', role: 'caseworker' as const };
    const event = testEvent(tenant, type, data, { actor, occurredAt: '2025-09-01T08:00:00.000Z' });
    await store.appendToStream(stream, [event], { expectedRevision: 'any' });
  };
  const funding = (tenant: string, aggregate: string, id: string) => streamName(tenant, 'funding', aggregate, id);
  // Caught up when no event of the projection's types lies beyond its checkpoint (read from the table, not `$all`).
  const projected = () =>
    eventually(async () => {
      const checkpoint = await loadCheckpoint(db.pool, 'fee_waivers@v1');
      if (!checkpoint) return false;
      const { rowCount } = await db.pool.query(
        'SELECT 1 FROM es_events WHERE position > $1 AND event_type = ANY ($2) LIMIT 1',
        [checkpoint.position, feeWaiversProjection.eventTypes],
      );
      return rowCount === 0;
    });
  const applyFor = async (tenant: string, householdId: string, appliedAt: string) => {
    const applicationId = randomUUID();
    await append(tenant, funding(tenant, 'fee-waiver', applicationId), 'FeeWaiverAppliedFor', {
      applicationId,
      householdId,
      schoolYear: YEAR,
      householdSize: 4,
      incomeRef: `personal-data:${householdId}/householdIncome#${applicationId}`,
      appliedAt,
    });
    return applicationId;
  };
  const grant = (tenant: string, applicationId: string, householdId: string, payPercent: number) =>
    append(tenant, funding(tenant, 'fee-waiver', applicationId), 'FeeWaiverGranted', {
      applicationId,
      householdId,
      schoolYear: YEAR,
      level: payPercent === 0 ? 'full' : 'partial',
      payPercent,
      band: { upToG: 4, payPercent },
      basis: { baseAmountG: 13_016_000, incomeSchedule: [{ upToG: 4, payPercent }] },
      incomeRef: `personal-data:${householdId}/householdIncome#${applicationId}`,
      decidedBy: 'cw-1',
      decidedAt: '2025-09-10T08:00:00.000Z',
    });
  const assessed = (tenant: string, payerId: string, term: 'autumn' | 'spring', waived: number) =>
    append(tenant, funding(tenant, 'household', payerId), 'SemesterFeesAssessed', {
      assessmentId: randomUUID(),
      payerId,
      schoolYear: YEAR,
      term,
      lines: [
        { kind: 'BaseFee', placeId: 'p1', childId: 'c1', amount: 210_500 },
        ...(waived > 0
          ? [
              {
                kind: 'WaiverReduction',
                placeId: 'p1',
                childId: 'c1',
                amount: -waived,
                payPercent: 60,
                applicationId: 'a',
              },
            ]
          : []),
      ],
      notBilled: [],
      owes: 210_500 - waived,
      replaces: null,
      assessedAt: '2025-09-10T08:00:00.000Z',
    });

  beforeAll(async () => {
    db = await createTestDatabase('fee_waivers');
    await migrate(db.pool, [...eventStoreMigrations, ...projectionsMigrations, ...fundingMigrations]);
    store = new PostgresEventStore(db.pool);
    runner = new ProjectionRunner(db.pool, store, [feeWaiversProjection], { idleMs: 20 });
    await runner.start();
    query = new FeeWaiversQuery(db.pool);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.drop();
  });

  it('lists pending applications oldest first with their age, a page at a time, per tenant', async () => {
    const first = await applyFor('trondheim', randomUUID(), '2025-09-01T08:00:00.000Z');
    const second = await applyFor('trondheim', randomUUID(), '2025-09-05T08:00:00.000Z');
    await applyFor('oslo', randomUUID(), '2025-09-02T08:00:00.000Z');
    await projected();
    const now = new Date('2025-09-11T09:00:00.000Z');
    const page1 = await query.pending('trondheim', YEAR, now, 1, 1);
    const page2 = await query.pending('trondheim', YEAR, now, 2, 1);
    assert.equal(page1.total, 2);
    assert.deepEqual(
      [...page1.items, ...page2.items].map((p) => [p.applicationId, p.ageDays]),
      [
        [first, 10],
        [second, 6],
      ],
    );
    assert.equal((await query.pending('oslo', YEAR, now, 1, 50)).total, 1);
  });

  it('shows a decided waiver by its level only, and keeps no income anywhere in its tables', async () => {
    const household = randomUUID();
    const applicationId = await applyFor('trondheim', household, '2025-09-03T08:00:00.000Z');
    await grant('trondheim', applicationId, household, 60);
    await projected();
    const active = await query.activeWaivers('trondheim', { schoolYear: YEAR }, 1, 50);
    const mine = active.items.find((w) => w.applicationId === applicationId);
    assert.deepEqual(mine && { level: mine.level, payPercent: mine.payPercent, students: mine.students }, {
      level: 'partial',
      payPercent: 60,
      students: 0,
    });
    assert.equal(
      (await query.pending('trondheim', YEAR, new Date(), 1, 50)).items.some((p) => p.applicationId === applicationId),
      false,
    );
    const { rows: columns } = await db.pool.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name LIKE 'fee_waiver_%'",
    );
    assert.ok(columns.length > 20);
    assert.ok(
      columns.every((c) => !/income|basis|band/.test(c.column_name)),
      'no income, band or basis column',
    );
    const { rows } = await db.pool.query('SELECT * FROM fee_waiver_applications');
    assert.ok(!JSON.stringify(rows).includes('householdIncome'), 'no income reference either');
  });

  it('counts the latest assessment of a semester, not every one', async () => {
    const payer = randomUUID();
    await assessed('trondheim', payer, 'autumn', 0);
    await assessed('trondheim', payer, 'autumn', 84_200);
    await assessed('trondheim', payer, 'spring', 84_200);
    await assessed('trondheim', payer, 'spring', 42_100);
    await projected();
    assert.deepEqual(await query.waivedPerSemester('trondheim', YEAR), [
      { schoolYear: YEAR, term: 'autumn', waivedOre: 84_200, households: 1 },
      { schoolYear: YEAR, term: 'spring', waivedOre: 42_100, households: 1 },
    ]);
  });

  it('tracks the budget as the budget decider does: a released waiver keeps only what it used', async () => {
    const stream = funding('trondheim', 'waiver-budget', YEAR);
    const [kept, released] = [randomUUID(), randomUUID()];
    await append('trondheim', stream, 'WaiverBudgetSet', {
      schoolYear: YEAR,
      maxAmount: 500_000,
      maxWaivers: 1,
      setBy: 'admin-1',
      setAt: '2025-08-01T08:00:00.000Z',
    });
    const allocate = (applicationId: string, override: object | null) =>
      append('trondheim', stream, 'WaiverAllocated', {
        schoolYear: YEAR,
        applicationId,
        amount: 168_400,
        override,
        allocatedAt: '2025-09-10T08:00:00.000Z',
      });
    await allocate(kept, null);
    await allocate(released, { adminId: 'admin-1', reason: 'Approved by the head', exceeded: ['count'] });
    const use = (applicationId: string, term: string, amount: number) =>
      append('trondheim', stream, 'WaiverUseRecorded', {
        schoolYear: YEAR,
        applicationId,
        term,
        amount,
        recordedAt: '2025-12-01T08:00:00.000Z',
      });
    await use(kept, 'autumn', 100_000);
    await use(kept, 'spring', 100_000);
    await use(released, 'autumn', 50_000);
    await append('trondheim', stream, 'WaiverReleased', {
      schoolYear: YEAR,
      applicationId: released,
      reason: 'Revoked',
      releasedAt: '2026-01-05T08:00:00.000Z',
    });
    await projected();
    assert.deepEqual(await query.budget('trondheim', YEAR), {
      schoolYear: YEAR,
      maxAmountOre: 500_000,
      maxWaivers: 1,
      waivers: 1,
      allocatedOre: 200_000 + 50_000,
      usedOre: 250_000,
      amountLeftOre: 250_000,
      waiversLeft: 0,
      overrides: 1,
    });
    assert.deepEqual(await query.budget('oslo', YEAR), {
      schoolYear: YEAR,
      maxAmountOre: null,
      maxWaivers: null,
      waivers: 0,
      allocatedOre: 0,
      usedOre: 0,
      amountLeftOre: null,
      waiversLeft: null,
      overrides: 0,
    });
  });

  it("ignores a funding event type appended to another context's stream", async () => {
    const household = randomUUID();
    const applicationId = randomUUID();
    await append('trondheim', streamName('trondheim', 'enrolment', 'offering', randomUUID()), 'FeeWaiverAppliedFor', {
      applicationId,
      householdId: household,
      schoolYear: YEAR,
      householdSize: 1,
      incomeRef: 'x',
      appliedAt: '2025-09-01T08:00:00.000Z',
    });
    await projected();
    const { rowCount } = await db.pool.query('SELECT 1 FROM fee_waiver_applications WHERE application_id = $1', [
      applicationId,
    ]);
    assert.equal(rowCount, 0);
  });
});
