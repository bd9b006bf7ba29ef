import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { streamName } from '#libs/event-store';
import { personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { eventually, platformWith, startAppUnderTest, testEvent, type AppUnderTest } from '#libs/testing';
import type { SemesterFeesAssessed } from '../domain/index.js';
import { fundingMigrations } from '../funding.migrations.js';
import { FundingModule } from '../funding.module.js';
import { childPayerStream, feeWaiverStream, householdStream, waiverBudgetStream } from '../shared/funding-streams.js';
import { FundingProcessManager } from './funding.process-manager.js';

const TENANT = 'trondheim';
const YEAR = '2025-2026';

describe('funding process manager', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T08:00:00Z'));
  let sut: AppUnderTest;

  // The other contexts' facts, appended as they would be: this test drives the process manager from the store.
  const append = async (stream: string, type: string, data: object, occurredAt = clock.now().toISOString()) => {
    const event = testEvent(TENANT, type, data, { actor: { id: 'cw-1', role: 'caseworker' }, occurredAt });
    await sut.runtime.store.appendToStream(stream, [event], { expectedRevision: 'any' });
  };
  const offeringStream = (id: string) => streamName(TENANT, 'enrolment', 'offering', id);
  // Stored offerings carry whole kroner (before 2026-12) or øre.
  const openOffering = async (schoolYear = YEAR, fee: object = { feePerSemesterNok: 2105 }) => {
    const offeringId = randomUUID();
    await append(offeringStream(offeringId), 'OfferingOpened', {
      offeringId,
      subject: 'Piano',
      subjectGroup: 'music',
      programme: 'core',
      location: 'Byåsen',
      district: 'Lerkendal',
      form: 'individual',
      ...fee,
      schoolYear,
      capacity: 10,
      openedAt: clock.now().toISOString(),
    });
    return offeringId;
  };
  const enrol = async (
    offeringId: string,
    studentId: string,
    birthYear: number,
    enrolledAt = '2025-08-20T08:00:00Z',
  ) => {
    const placeId = randomUUID();
    await append(offeringStream(offeringId), 'PlaceEnrolled', {
      offeringId,
      placeId,
      studentId,
      birthYear,
      gender: 'female',
      district: 'Lerkendal',
      school: 'Byåsen skole',
      subjectGroup: 'music',
      programme: 'core',
      enrolledAt,
      viaOfferId: null,
      transferredFrom: null,
    });
    return placeId;
  };
  const registerPayer = (childId: string, payerId: string, previousPayerId: string | null = null) =>
    append(childPayerStream(TENANT, childId), 'ChildPayerRegistered', {
      childId,
      payerId,
      previousPayerId,
      registeredBy: 'cw-1',
      registeredAt: clock.now().toISOString(),
    });
  const grantWaiver = async (householdId: string, payPercent: number, schoolYear = YEAR) => {
    const applicationId = randomUUID();
    const facts = { applicationId, householdId, schoolYear };
    const stream = feeWaiverStream(TENANT, applicationId);
    await append(stream, 'FeeWaiverAppliedFor', {
      ...facts,
      householdSize: 3,
      incomeRef: 'ref',
      appliedAt: '2025-09-01T08:00:00Z',
    });
    await append(waiverBudgetStream(TENANT, schoolYear), 'WaiverAllocated', {
      schoolYear,
      applicationId,
      amount: 100_000,
      override: null,
      allocatedAt: '2025-09-02T08:00:00Z',
    });
    await append(stream, 'FeeWaiverGranted', {
      ...facts,
      level: payPercent === 0 ? 'full' : 'partial',
      payPercent,
      band: { upToG: 4, payPercent },
      basis: { baseAmountG: 13_016_000, incomeSchedule: [{ upToG: 4, payPercent }] },
      incomeRef: 'ref',
      decidedBy: 'cw-1',
      decidedAt: '2025-09-02T08:00:00Z',
    });
    return applicationId;
  };

  const streamOf = async (stream: string) => sut.runtime.store.readStream(stream);
  const assessments = async (payerId: string) =>
    (await streamOf(householdStream(TENANT, payerId))).map((e) => e.data as SemesterFeesAssessed['data']);
  const latest = async (payerId: string, term: 'autumn' | 'spring', schoolYear = YEAR) =>
    (await assessments(payerId)).filter((a) => a.term === term && a.schoolYear === schoolYear).at(-1);
  const amounts = (assessment: SemesterFeesAssessed['data'] | undefined) =>
    assessment?.lines.map((line) => [line.kind, line.amount]);
  const eventCount = async () =>
    Number((await sut.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);

  beforeAll(async () => {
    sut = await startAppUnderTest(platformWith(FundingModule), {
      migrations: [...personalDataMigrations, ...fundingMigrations],
      clock,
    });
  });
  afterAll(async () => sut.close());

  it('bills a fee of NOK 2,052.50 as 205250 øre, and a new fee from 1 January in the spring only', async () => {
    const offeringId = await openOffering(YEAR, { feePerSemesterOre: 205_250 });
    const child = randomUUID();
    const payer = randomUUID();
    await enrol(offeringId, child, 2014);
    await registerPayer(child, payer);
    const [autumn, spring] = await eventually(async () => {
      const found = await assessments(payer);
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual([amounts(autumn), amounts(spring)], [[['BaseFee', 205_250]], [['BaseFee', 205_250]]]);

    await append(offeringStream(offeringId), 'OfferingFeeChanged', {
      ...{ offeringId, feePerSemesterOre: 215_000, previousFeePerSemesterOre: 205_250, effectiveFrom: '2026-01-01' },
      ...{ reason: 'Bystyret: fees for 2026', changedAt: clock.now().toISOString() },
    });
    const respring = await eventually(async () => {
      const found = await latest(payer, 'spring');
      return found?.assessmentId !== spring?.assessmentId ? found : undefined;
    });
    assert.deepEqual(amounts(respring), [['BaseFee', 215_000]]);
    assert.equal(respring.replaces, spring?.assessmentId, 'billing is told which spring assessment to credit');
    assert.deepEqual(
      (await assessments(payer)).map((a) => a.term),
      ['autumn', 'spring', 'spring'],
      'the autumn, begun before the change, keeps its fee line',
    );
  });

  it('waits with a place whose child has no payer, and assesses it once the payer is registered', async () => {
    const offeringId = await openOffering();
    const child = randomUUID();
    const payer = randomUUID();
    await enrol(offeringId, child, 2014);
    await registerPayer(child, payer);
    const both = await eventually(async () => {
      const found = await assessments(payer);
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(
      both.map((a) => [a.term, amounts(a)]),
      [
        ['autumn', [['BaseFee', 210_500]]],
        ['spring', [['BaseFee', 210_500]]],
      ],
    );
  });

  it('applies a waiver granted later to the semesters of its year, and records what it waived on the budget', async () => {
    const offeringId = await openOffering();
    const child = randomUUID();
    const payer = randomUUID();
    await registerPayer(child, payer);
    await enrol(offeringId, child, 2014);
    const first = await eventually(() => latest(payer, 'autumn'));
    const applicationId = await grantWaiver(payer, 40);
    const waived = await eventually(async () => {
      const autumn = await latest(payer, 'autumn');
      return autumn?.lines.some((l) => l.kind === 'WaiverReduction') ? autumn : undefined;
    });
    assert.deepEqual(amounts(waived), [
      ['BaseFee', 210_500],
      ['WaiverReduction', -126_300],
    ]);
    assert.equal(waived.replaces, first.assessmentId, 'the new assessment replaces the one billed before');
    const used = await eventually(async () => {
      const events = (await streamOf(waiverBudgetStream(TENANT, YEAR))).filter(
        (e) => e.type === 'WaiverUseRecorded' && (e.data as { applicationId: string }).applicationId === applicationId,
      );
      return events.length === 2 ? events : undefined;
    });
    assert.deepEqual(
      used.map((e) => [(e.data as { term: string }).term, (e.data as { amount: number }).amount]),
      [
        ['autumn', 126_300],
        ['spring', 126_300],
      ],
    );

    // Revoked in March: spring is billed in full again, autumn keeps its waiver.
    await append(feeWaiverStream(TENANT, applicationId), 'FeeWaiverRevoked', {
      applicationId,
      householdId: payer,
      schoolYear: YEAR,
      reason: 'Moved',
      revokedBy: 'cw-1',
      revokedAt: '2026-03-01T09:00:00Z',
    });
    const spring = await eventually(async () => {
      const found = await latest(payer, 'spring');
      return found?.lines.some((l) => l.kind === 'WaiverReduction') ? undefined : found;
    });
    assert.deepEqual(amounts(spring), [['BaseFee', 210_500]]);
    assert.deepEqual(amounts(await latest(payer, 'autumn')), amounts(waived));
  });

  it("moves a child's places to the new payer's household, and reassesses the old one without them", async () => {
    const offeringId = await openOffering();
    const [older, younger] = [randomUUID(), randomUUID()];
    const [first, second] = [randomUUID(), randomUUID()];
    await registerPayer(older, first);
    await registerPayer(younger, first);
    await enrol(offeringId, older, 2012);
    const moving = await enrol(offeringId, younger, 2015);
    await eventually(async () => (await latest(first, 'autumn'))?.lines.length === 2);

    await registerPayer(younger, second, first);
    const left = await eventually(async () => {
      const autumn = await latest(first, 'autumn');
      return autumn?.lines.length === 1 ? autumn : undefined;
    });
    assert.ok(left.lines.every((l) => l.childId === older));
    const joined = await eventually(() => latest(second, 'autumn'));
    assert.deepEqual(
      joined.lines.map((l) => [l.placeId, l.kind]),
      [[moving, 'BaseFee']],
    );
  });

  it('frees the next semester after a withdrawal by its deadline, and charges it after a late one', async () => {
    const offeringId = await openOffering();
    const [early, late] = [randomUUID(), randomUUID()];
    const payer = randomUUID();
    await registerPayer(early, payer);
    await registerPayer(late, payer);
    const earlyPlace = await enrol(offeringId, early, 2012);
    const latePlace = await enrol(offeringId, late, 2013);
    await eventually(async () => (await latest(payer, 'spring'))?.lines.length === 2);
    const withdraw = (placeId: string, studentId: string, noticeOn: string, afterDeadline: boolean) =>
      append(offeringStream(offeringId), 'PlaceWithdrawn', {
        offeringId,
        placeId,
        studentId,
        effectiveOn: '2025-12-31',
        noticeOn,
        nextSemester: { schoolYear: YEAR, term: 'spring' },
        deadline: '2025-12-10',
        afterDeadline,
      });
    await withdraw(earlyPlace, early, '2025-11-01', false);
    await withdraw(latePlace, late, '2025-12-15', true);
    const spring = await eventually(async () => {
      const found = await latest(payer, 'spring');
      return found?.notBilled.length === 1 && found.lines.some((l) => l.kind === 'LateWithdrawalCharge')
        ? found
        : undefined;
    });
    assert.deepEqual(spring.notBilled, [{ placeId: earlyPlace, reason: 'WithdrawnByDeadline' }]);
    assert.deepEqual(
      spring.lines.map((l) => [l.placeId, l.kind, l.amount]),
      [[latePlace, 'LateWithdrawalCharge', 210_500]],
    );
    assert.equal((await latest(payer, 'autumn'))?.owes, 421_000, 'both places are owed in the semester they end in');
  });

  it('expires a granted waiver once its school year has ended by the clock, and only once', async () => {
    const payer = randomUUID();
    const applicationId = await grantWaiver(payer, 0);
    const manager = sut.app.get(FundingProcessManager);
    await eventually(async () => {
      const rows = await sut.db.pool.query('SELECT 1 FROM funding_waivers WHERE application_id = $1', [applicationId]);
      return rows.rowCount === 1;
    });
    clock.set('2026-07-31T21:00:00Z');
    await manager.expireEndedWaivers();
    const expiredOf = async () =>
      (await streamOf(feeWaiverStream(TENANT, applicationId))).filter((e) => e.type === 'FeeWaiverExpired');
    assert.equal((await expiredOf()).length, 0, 'the year runs until 1 August in Oslo');
    clock.set('2026-08-01T06:00:00Z');
    await manager.expireEndedWaivers();
    await manager.expireEndedWaivers();
    assert.equal((await expiredOf()).length, 1);
    await eventually(async () => {
      const { rows } = await sut.db.pool.query<{ status: string }>(
        'SELECT status FROM funding_waivers WHERE application_id = $1',
        [applicationId],
      );
      return rows[0]?.status === 'expired';
    });
    clock.set('2025-09-01T08:00:00Z');
  });

  it('appends nothing new when every event is replayed from the start', async () => {
    const manager = sut.app.get(FundingProcessManager);
    const { rows: last } = await sut.db.pool.query<{ position: string }>(
      'SELECT max(position) AS position FROM es_events',
    );
    const head = BigInt(last[0]?.position ?? 0);
    const caughtUp = async () => {
      const { rows } = await sut.db.pool.query<{ position: string }>(
        "SELECT position FROM subscription_checkpoints WHERE name = 'funding'",
      );
      return rows[0] !== undefined && BigInt(rows[0].position) >= head;
    };
    await eventually(caughtUp);
    const before = await eventCount();

    await manager.onApplicationShutdown();
    await sut.db.pool.query("DELETE FROM subscription_checkpoints WHERE name = 'funding'");
    await manager.onApplicationBootstrap();
    await eventually(caughtUp);

    assert.equal(await eventCount(), before);
  });
});
