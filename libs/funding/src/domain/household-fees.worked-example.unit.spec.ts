import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { fold } from '#libs/decider';
import { feeWaiverApplicationDecider, waiverInForce } from './fee-waiver-application.decider.js';
import type { FeeWaiverEvent } from './fee-waiver-application.events.js';
import type { PlaceToAssess } from './fee-assessment.js';
import { householdFeesDecider } from './household-fees.decider.js';
import type { AssessSemesterFees } from './household-fees.commands.js';
import type { SemesterFeesAssessed } from './household-fees.events.js';
import { gradedScheduleExample } from './income-schedule.js';
import { nok } from './money.js';
import { fundingPolicyFor } from './policy.js';
import type { Term } from './school-year.js';

/*
 * The Hansen household (payer household-h1), school year 2025-2026, Trondheim defaults except the graded schedule.
 * Fee F = NOK 2,105.00 = 210 500 øre per place per semester; 18 lessons a semester; refunds from the 3rd cancelled lesson.
 * G 2025 = NOK 130,160, so 3 G = 390,480 and 4 G = 520,640; income NOK 450,000 falls in "≤ 4 G pay 60%".
 * Siblings by birth date: Anna (2011) #1, Bo (2013) #2, Cai (2016) #3 → 50% off Cai's first place (violin, from 2024).
 * Waiver reduction = 40% of (fee − sibling discount); refund = (fee − discount − waiver) × refunded lessons / 18, rounded down.
 * Bo withdraws on 18 Dec 2025, after the 10 Dec deadline: he owes spring 2026 as a late-withdrawal charge.
 *
 * Autumn 2025                          charge   sibling    waiver    refund     total
 *   Anna piano (4 cancelled → 2)      210 500         0   −84 200   −14 033   112 267   14 033 = ⌊126 300 × 2 / 18⌋
 *   Bo guitar                         210 500         0   −84 200         0   126 300
 *   Cai violin (child 3, 1st place)   210 500  −105 250   −42 100         0    63 150   42 100 = 40% of 105 250
 *   Cai dance                         210 500         0   −84 200         0   126 300
 *                                                                      owes   428 017
 * Spring 2026
 *   Anna piano (3 cancelled → 1)      210 500         0   −84 200    −7 016   119 284    7 016 = ⌊126 300 / 18⌋
 *   Bo guitar (late withdrawal)       210 500         0   −84 200         0   126 300
 *   Cai violin (2 cancelled → 0)      210 500  −105 250   −42 100         0    63 150
 *   Cai dance                         210 500         0   −84 200         0   126 300
 *                                                                      owes   435 034
 */
/** A semester's lines, place by place: the same but for Anna's refund and what Bo's place is charged. */
const semesterTable = (annaRefund: number, boCharge: 'BaseFee' | 'LateWithdrawalCharge') => [
  ['place-anna-piano', 'BaseFee', 210_500],
  ['place-anna-piano', 'WaiverReduction', -84_200],
  ['place-anna-piano', 'CancelledLessonsRefund', annaRefund],
  ['place-bo-guitar', boCharge, 210_500],
  ['place-bo-guitar', 'WaiverReduction', -84_200],
  ['place-cai-violin', 'BaseFee', 210_500],
  ['place-cai-violin', 'SiblingDiscount', -105_250],
  ['place-cai-violin', 'WaiverReduction', -42_100],
  ['place-cai-dance', 'BaseFee', 210_500],
  ['place-cai-dance', 'WaiverReduction', -84_200],
];
const autumnTable = semesterTable(-14_033, 'BaseFee');
const springTable = semesterTable(-7_016, 'LateWithdrawalCharge');

const policy = fundingPolicyFor('2025-2026', { incomeSchedule: gradedScheduleExample });
const householdIncome = nok(450_000);

const waiverHistory: FeeWaiverEvent[] = [];
for (const command of [
  {
    type: 'ApplyForWaiver',
    data: {
      applicationId: 'app-1',
      householdId: 'household-h1',
      schoolYear: '2025-2026',
      householdSize: 5,
      incomeRef: 'enc:v1:k-h1:9f2c',
    },
    metadata: { now: new Date('2025-06-02T09:00:00Z').toISOString() },
  },
  {
    type: 'AssessApplication',
    data: { applicationId: 'app-1', caseworkerId: 'cw-7', householdIncome, policy, rejectionReason: null },
    metadata: { now: new Date('2025-06-20T11:00:00Z').toISOString() },
  },
] as const) {
  waiverHistory.push(...feeWaiverApplicationDecider.decide(command, fold(feeWaiverApplicationDecider, waiverHistory)));
}
const waiver = waiverInForce(fold(feeWaiverApplicationDecider, waiverHistory));

const children = [
  { childId: 'child-cai', birthDate: '2016-05-20' },
  { childId: 'child-anna', birthDate: '2011-03-14' },
  { childId: 'child-bo', birthDate: '2013-09-02' },
];
const place = (
  placeId: string,
  childId: string,
  startedOn: string,
  withdrawnOn: string | null = null,
): PlaceToAssess => ({
  placeId,
  childId,
  offeringId: `offering-${placeId.split('-')[2] ?? ''}`,
  startedOn,
  withdrawnOn,
  offeringFee: null,
  cancelledLessons: 0,
});
const places = [
  place('place-cai-dance', 'child-cai', '2025-08-18'),
  place('place-bo-guitar', 'child-bo', '2024-01-08', '2025-12-18'),
  place('place-anna-piano', 'child-anna', '2023-08-20'),
  place('place-cai-violin', 'child-cai', '2024-08-19'),
];
const cancelled: Record<Term, Record<string, number>> = {
  autumn: { 'place-anna-piano': 4 },
  spring: { 'place-anna-piano': 3, 'place-cai-violin': 2 },
};

const assess = (term: Term, assessmentId: string, now: string): AssessSemesterFees => ({
  type: 'AssessSemesterFees',
  data: {
    assessmentId,
    payerId: 'household-h1',
    semester: { schoolYear: '2025-2026', term },
    policy,
    children,
    places: places.map((p) => ({ ...p, cancelledLessons: cancelled[term][p.placeId] ?? 0 })),
    waiver,
  },
  metadata: { now: new Date(now).toISOString() },
});

const run = (): SemesterFeesAssessed[] => {
  const history: SemesterFeesAssessed[] = [];
  history.push(
    ...householdFeesDecider.decide(
      assess('autumn', 'fa-autumn', '2025-12-20T08:00:00Z'),
      fold(householdFeesDecider, history),
    ),
  );
  history.push(
    ...householdFeesDecider.decide(
      assess('spring', 'fa-spring', '2026-06-20T08:00:00Z'),
      fold(householdFeesDecider, history),
    ),
  );
  return history;
};

const table = (event: SemesterFeesAssessed | undefined) => event?.data.lines.map((l) => [l.placeId, l.kind, l.amount]);

describe('worked example: three children, four places, a partial waiver, a late withdrawal', () => {
  it('grants the household a partial waiver paying 60%', () =>
    assert.deepStrictEqual(waiver, { applicationId: 'app-1', schoolYear: '2025-2026', payPercent: 60 }));

  it('assesses autumn 2025 line by line as the hand-worked table', () => {
    const [autumn] = run();
    assert.deepStrictEqual(table(autumn), autumnTable);
    assert.equal(autumn?.data.owes, 428_017);
  });

  it('assesses spring 2026 line by line as the hand-worked table', () => {
    const [, spring] = run();
    assert.deepStrictEqual(table(spring), springTable);
    assert.equal(spring?.data.owes, 435_034);
  });

  it("explains Bo's spring charge by his withdrawal after the 10 December deadline", () => {
    const [, spring] = run();
    const charge = spring?.data.lines.find((l) => l.kind === 'LateWithdrawalCharge');
    assert.deepStrictEqual(charge, {
      kind: 'LateWithdrawalCharge',
      placeId: 'place-bo-guitar',
      childId: 'child-bo',
      amount: 210_500,
      withdrawnOn: '2025-12-18',
      deadline: '2025-12-10',
    });
  });

  it('never writes the household income into an event', () => {
    const written = JSON.stringify([...waiverHistory, ...run()]);
    assert.ok(!written.includes(String(householdIncome)) && !written.includes('450000'));
  });
});
