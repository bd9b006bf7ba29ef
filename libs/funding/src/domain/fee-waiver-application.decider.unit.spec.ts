import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { fold } from '#libs/decider';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './funding.errors.js';
import { feeWaiverApplicationDecider, waiverInForce } from './fee-waiver-application.decider.js';
import type {
  ApplyForWaiver,
  AssessApplication,
  ExpireWaiver,
  RevokeWaiver,
} from './fee-waiver-application.commands.js';
import type {
  FeeWaiverAppliedFor,
  FeeWaiverEvent,
  FeeWaiverGranted,
  FeeWaiverRejected,
} from './fee-waiver-application.events.js';
import { fullWaiverUpTo4G, gradedScheduleExample } from './income-schedule.js';
import { nok } from './money.js';
import { fundingPolicyFor, type WaiverPolicy } from './policy.js';

const given = DeciderSpecification.for(feeWaiverApplicationDecider);

const G2025 = nok(130_160);
const policy2025: WaiverPolicy = fundingPolicyFor('2025-2026');
const at = (iso: string) => ({ now: new Date(iso).toISOString() });
const facts = { applicationId: 'app-1', householdId: 'household-h1', schoolYear: '2025-2026' } as const;

const apply = (data: Partial<ApplyForWaiver['data']> = {}): ApplyForWaiver => ({
  type: 'ApplyForWaiver',
  data: { ...facts, householdSize: 3, incomeRef: 'enc:v1:k-h1:ab12', ...data },
  metadata: at('2025-06-01T10:00:00Z'),
});
const assess = (householdIncome: number, data: Partial<AssessApplication['data']> = {}): AssessApplication => ({
  type: 'AssessApplication',
  data: {
    applicationId: 'app-1',
    caseworkerId: 'cw-1',
    householdIncome,
    policy: policy2025,
    rejectionReason: null,
    ...data,
  },
  metadata: at('2025-06-15T12:00:00Z'),
});
const revoke = (reason = 'Moved out of the municipality'): RevokeWaiver => ({
  type: 'RevokeWaiver',
  data: { applicationId: 'app-1', revokedBy: 'cw-2', reason },
  metadata: at('2025-11-01T08:00:00Z'),
});
const expire = (now: string): ExpireWaiver => ({
  type: 'ExpireWaiver',
  data: { applicationId: 'app-1' },
  metadata: at(now),
});

const applied: FeeWaiverAppliedFor = {
  type: 'FeeWaiverAppliedFor',
  data: { ...facts, householdSize: 3, incomeRef: 'enc:v1:k-h1:ab12', appliedAt: '2025-06-01T10:00:00.000Z' },
};
const decided = {
  ...facts,
  incomeRef: 'enc:v1:k-h1:ab12',
  basis: { baseAmountG: G2025, incomeSchedule: fullWaiverUpTo4G },
  decidedBy: 'cw-1',
  decidedAt: '2025-06-15T12:00:00.000Z',
};
const grantedFull: FeeWaiverGranted = {
  type: 'FeeWaiverGranted',
  data: { ...decided, level: 'full', payPercent: 0, band: { upToG: 4, payPercent: 0 } },
};
const rejected: FeeWaiverRejected = {
  type: 'FeeWaiverRejected',
  data: { ...decided, reason: { code: 'CaseworkerDecision', text: 'Not resident in Trondheim' } },
};
const revoked: FeeWaiverEvent = {
  type: 'FeeWaiverRevoked',
  data: { ...facts, reason: 'Moved out of the municipality', revokedBy: 'cw-2', revokedAt: '2025-11-01T08:00:00.000Z' },
};

describe('fee-waiver application', () => {
  describe('before anyone applied', () => {
    it('records the application with the encrypted income reference', () => given([]).when(apply()).then([applied]));

    it.each([
      ['refuses a school year in the wrong format', { schoolYear: '2025/26' }, refusals.InvalidSchoolYear],
      [
        'refuses a school year whose years are not consecutive',
        { schoolYear: '2025-2027' },
        refusals.InvalidSchoolYear,
      ],
      ['refuses a household size of 0', { householdSize: 0 }, refusals.InvalidHouseholdSize],
      ['refuses a household size that is not whole', { householdSize: 2.5 }, refusals.InvalidHouseholdSize],
      ['refuses an application without the income reference', { incomeRef: ' ' }, refusals.IncomeReferenceIsMissing],
    ])('%s', (_, data, refusal) => given([]).when(apply(data)).thenThrows(refusal));

    it('refuses a decision on an unknown application', () =>
      given([])
        .when(assess(nok(300_000)))
        .thenThrows(refusals.ApplicationNotFound));

    it('refuses to revoke an unknown application', () =>
      given([]).when(revoke()).thenThrows(refusals.ApplicationNotFound));

    it('refuses to expire an unknown application', () =>
      given([]).when(expire('2026-08-01T00:00:00+02:00')).thenThrows(refusals.ApplicationNotFound));
  });

  describe('pending', () => {
    it('refuses a second application on the same stream, even for another year', () =>
      given([applied])
        .when(apply({ schoolYear: '2026-2027' }))
        .thenThrows(refusals.ApplicationAlreadySubmitted));

    it('grants a full waiver at or below 4 G by default, recording G and the schedule', () =>
      given([applied])
        .when(assess(nok(350_000)))
        .then([grantedFull]));

    it('grants a full waiver at exactly 4 G', () =>
      given([applied])
        .when(assess(4 * G2025))
        .then([grantedFull]));

    it('rejects 1 øre above 4 G as above the schedule', () =>
      given([applied])
        .when(assess(4 * G2025 + 1))
        .then([
          {
            type: 'FeeWaiverRejected',
            data: {
              ...decided,
              reason: { code: 'IncomeAboveSchedule', text: 'Household income is above 4 G (NOK 520,640)' },
            },
          },
        ]));

    it('grants a partial waiver with the pay percentage of its band in a graded schedule', () =>
      given([applied])
        .when(assess(nok(450_000), { policy: { ...policy2025, incomeSchedule: gradedScheduleExample } }))
        .then([
          {
            type: 'FeeWaiverGranted',
            data: {
              ...decided,
              basis: { baseAmountG: G2025, incomeSchedule: gradedScheduleExample },
              level: 'partial',
              payPercent: 60,
              band: { upToG: 4, payPercent: 60 },
            },
          },
        ]));

    it('rejects with the caseworker’s reason regardless of income', () =>
      given([applied])
        .when(assess(nok(100_000), { rejectionReason: 'Not resident in Trondheim' }))
        .then([rejected]));

    it('refuses a rejection with an empty reason', () =>
      given([applied])
        .when(assess(nok(100_000), { rejectionReason: '' }))
        .thenThrows(refusals.ReasonIsRequired));

    it('refuses a negative income', () =>
      given([applied]).when(assess(-1)).thenThrows(refusals.InvalidHouseholdIncome));

    it('refuses an income that is not whole øre', () =>
      given([applied]).when(assess(0.5)).thenThrows(refusals.InvalidHouseholdIncome));

    it("refuses another school year's policy: a new year needs a new application", () =>
      given([applied])
        .when(assess(nok(300_000), { policy: fundingPolicyFor('2024-2025') }))
        .thenThrows(refusals.PolicyIsForAnotherSchoolYear));

    it('refuses to revoke a waiver not yet granted', () =>
      given([applied]).when(revoke()).thenThrows(refusals.WaiverIsNotInForce));

    it('writes no income in the clear, only its reference and the band', () => {
      const income = nok(437_123);
      const events = feeWaiverApplicationDecider.decide(assess(income), fold(feeWaiverApplicationDecider, [applied]));
      assert.equal(events[0]?.type, 'FeeWaiverGranted');
      assert.ok(!JSON.stringify(events).includes(String(income)));
    });
  });

  describe('granted', () => {
    it('refuses a second decision', () =>
      given([applied, grantedFull])
        .when(assess(nok(350_000)))
        .thenThrows(refusals.ApplicationAlreadyDecided, /already decided \(Granted\)/));

    it('revokes with a reason', () => given([applied, grantedFull]).when(revoke()).then([revoked]));

    it('refuses to revoke without a reason', () =>
      given([applied, grantedFull]).when(revoke('  ')).thenThrows(refusals.ReasonIsRequired));

    it('does not expire before the school year ends', () =>
      given([applied, grantedFull]).when(expire('2026-07-31T21:59:59Z')).thenThrows(refusals.SchoolYearHasNotEnded));

    it('expires at midnight starting 1 August in Oslo', () =>
      given([applied, grantedFull])
        .when(expire('2026-07-31T22:00:00Z'))
        .then([{ type: 'FeeWaiverExpired', data: { ...facts, expiredAt: '2026-07-31T22:00:00.000Z' } }]));

    it('is in force for fee assessment at its pay percentage', () =>
      assert.deepStrictEqual(waiverInForce(fold(feeWaiverApplicationDecider, [applied, grantedFull])), {
        applicationId: 'app-1',
        schoolYear: '2025-2026',
        payPercent: 0,
      }));
  });

  describe('rejected', () => {
    it('refuses a second decision', () =>
      given([applied, rejected])
        .when(assess(nok(100_000)))
        .thenThrows(refusals.ApplicationAlreadyDecided));

    it('has nothing to expire', () =>
      given([applied, rejected]).when(expire('2026-08-02T00:00:00Z')).thenThrows(refusals.WaiverIsNotInForce));
  });

  describe('revoked', () => {
    it('cannot be revoked again', () =>
      given([applied, grantedFull, revoked]).when(revoke()).thenThrows(refusals.WaiverIsNotInForce));

    it('is no longer in force for fee assessment', () =>
      assert.equal(waiverInForce(fold(feeWaiverApplicationDecider, [applied, grantedFull, revoked])), null));
  });

  describe('expired', () => {
    const expired: FeeWaiverEvent = {
      type: 'FeeWaiverExpired',
      data: { ...facts, expiredAt: '2026-08-01T06:00:00.000Z' },
    };

    it('cannot be revoked', () =>
      given([applied, grantedFull, expired]).when(revoke()).thenThrows(refusals.WaiverIsNotInForce));

    it('refuses a new decision: the next year needs a new application', () =>
      given([applied, grantedFull, expired])
        .when(assess(nok(100_000)))
        .thenThrows(refusals.ApplicationAlreadyDecided));
  });

  describe('when the schedule changes for a new school year', () => {
    // 2026-2027's G is not set yet (1 May 2026): an example value, labelled as such.
    const exampleG2026 = nok(135_000);
    const policy2026 = fundingPolicyFor('2026-2027', {
      baseAmountG: exampleG2026,
      incomeSchedule: gradedScheduleExample,
    });
    const income = nok(450_000);
    const history = [applied, grantedFull];

    it('keeps the earlier decision, its G and its schedule', () => {
      const before = fold(feeWaiverApplicationDecider, history);
      assert.equal(before.status, 'Granted');
      // Deciding the old application again, now or under the new policy, is refused: nothing can change it.
      assert.throws(
        () => feeWaiverApplicationDecider.decide(assess(income, { policy: policy2026 }), before),
        refusals.ApplicationAlreadyDecided,
      );
      const after = fold(feeWaiverApplicationDecider, history);
      assert.deepStrictEqual(after, before);
      assert.deepStrictEqual(waiverInForce(after), { applicationId: 'app-1', schoolYear: '2025-2026', payPercent: 0 });
      assert.deepStrictEqual(after.status === 'Granted' && after.basis, {
        baseAmountG: G2025,
        incomeSchedule: fullWaiverUpTo4G,
      });
    });

    it('judges the new year’s application by the new schedule', () => {
      const newApplication = apply({ applicationId: 'app-2', schoolYear: '2026-2027' });
      const state = fold(
        feeWaiverApplicationDecider,
        feeWaiverApplicationDecider.decide(newApplication, { status: 'NotApplied' }),
      );
      const [decision] = feeWaiverApplicationDecider.decide(
        assess(income, { applicationId: 'app-2', policy: policy2026 }),
        state,
      );
      assert.equal(decision?.type === 'FeeWaiverGranted' && decision.data.payPercent, 60);
    });
  });
});
