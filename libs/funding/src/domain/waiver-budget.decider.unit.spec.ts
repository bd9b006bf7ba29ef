import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { fold } from '#libs/decider';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './funding.errors.js';
import type { Term } from './school-year.js';
import { budgetSummary, waiverBudgetDecider } from './waiver-budget.decider.js';
import type { AllocateWaiver, RecordWaiverUse, ReleaseWaiver, SetWaiverBudget } from './waiver-budget.commands.js';
import type { WaiverAllocated, WaiverBudgetEvent, WaiverBudgetSet } from './waiver-budget.events.js';

const given = DeciderSpecification.for(waiverBudgetDecider);
const now = '2025-06-15T12:00:00.000Z';
const metadata = { now: new Date(now).toISOString() };
const schoolYear = '2025-2026';

const setBudget = (maxAmount: number | null, maxWaivers: number | null): SetWaiverBudget => ({
  type: 'SetWaiverBudget',
  data: { schoolYear, maxAmount, maxWaivers, setBy: 'admin-1' },
  metadata,
});
const allocate = (
  applicationId: string,
  amount: number,
  override: AllocateWaiver['data']['override'] = null,
): AllocateWaiver => ({ type: 'AllocateWaiver', data: { schoolYear, applicationId, amount, override }, metadata });
const release = (applicationId: string, reason = 'Waiver revoked'): ReleaseWaiver => ({
  type: 'ReleaseWaiver',
  data: { schoolYear, applicationId, reason },
  metadata,
});
const recordUse = (applicationId: string, term: Term, amount: number): RecordWaiverUse => ({
  type: 'RecordWaiverUse',
  data: { schoolYear, applicationId, term, amount },
  metadata,
});

const budgetSet = (maxAmount: number | null, maxWaivers: number | null): WaiverBudgetSet => ({
  type: 'WaiverBudgetSet',
  data: { schoolYear, maxAmount, maxWaivers, setBy: 'admin-1', setAt: now },
});
const allocated = (
  applicationId: string,
  amount: number,
  override: WaiverAllocated['data']['override'] = null,
): WaiverAllocated => ({
  type: 'WaiverAllocated',
  data: { schoolYear, applicationId, amount, override, allocatedAt: now },
});
const released = (applicationId: string): WaiverBudgetEvent => ({
  type: 'WaiverReleased',
  data: { schoolYear, applicationId, reason: 'Waiver revoked', releasedAt: now },
});
const used = (applicationId: string, term: Term, amount: number): WaiverBudgetEvent => ({
  type: 'WaiverUseRecorded',
  data: { schoolYear, applicationId, term, amount, recordedAt: now },
});

const override = { adminId: 'admin-1', reason: 'Poverty plan priority case' };

describe('waiver budget', () => {
  describe('without a budget', () => {
    it('allocates without limit, and tracks it', () =>
      given([])
        .when(allocate('app-1', 421_000))
        .then([allocated('app-1', 421_000)]));

    it('sets a budget of an amount and a number of waivers', () =>
      given([])
        .when(setBudget(10_000_000, 100))
        .then([budgetSet(10_000_000, 100)]));

    it('refuses a budget with neither limit', () =>
      given([]).when(setBudget(null, null)).thenThrows(refusals.BudgetNeedsALimit));

    it('refuses a negative amount', () => given([]).when(setBudget(-1, null)).thenThrows(refusals.InvalidAmount));

    it('refuses a negative number of waivers', () =>
      given([]).when(setBudget(null, -1)).thenThrows(refusals.InvalidWaiverCount));

    it('refuses a malformed school year', () =>
      given([])
        .when({ ...setBudget(1, null), data: { ...setBudget(1, null).data, schoolYear: '25-26' } })
        .thenThrows(refusals.InvalidSchoolYear));
  });

  describe('with a number of waivers', () => {
    const full = [budgetSet(null, 1), allocated('app-1', 421_000)];

    it('allocates within it', () =>
      given([budgetSet(null, 1)])
        .when(allocate('app-1', 421_000))
        .then([allocated('app-1', 421_000)]));

    it('refuses one more without an override', () =>
      given(full)
        .when(allocate('app-2', 421_000))
        .thenThrows(refusals.BudgetExhausted, /exhausted \(count\)/));

    it('allocates beyond it with an admin override, recorded in the event', () =>
      given(full)
        .when(allocate('app-2', 421_000, override))
        .then([allocated('app-2', 421_000, { ...override, exceeded: ['count'] })]));

    it('refuses an override without a reason', () =>
      given(full)
        .when(allocate('app-2', 421_000, { adminId: 'admin-1', reason: '' }))
        .thenThrows(refusals.OverrideIsIncomplete));

    it('frees the place when a waiver is released', () =>
      given([...full, released('app-1')])
        .when(allocate('app-2', 421_000))
        .then([allocated('app-2', 421_000)]));
  });

  describe('with an amount', () => {
    const budget = budgetSet(1_000_000, null);

    it('refuses an allocation beyond what is left', () =>
      given([budget, allocated('app-1', 600_000)])
        .when(allocate('app-2', 400_001))
        .thenThrows(refusals.BudgetExhausted, /\(amount\)/));

    it('allocates exactly what is left', () =>
      given([budget, allocated('app-1', 600_000)])
        .when(allocate('app-2', 400_000))
        .then([allocated('app-2', 400_000)]));

    it('records no override when none was needed', () =>
      given([budget])
        .when(allocate('app-1', 1_000, override))
        .then([allocated('app-1', 1_000)]));

    it('refuses a second allocation for the same waiver', () =>
      given([budget, allocated('app-1', 1_000)])
        .when(allocate('app-1', 1_000))
        .thenThrows(refusals.WaiverAlreadyAllocated));

    it('refuses a negative allocation', () =>
      given([budget]).when(allocate('app-1', -5)).thenThrows(refusals.InvalidAmount));
  });

  describe('releasing and using', () => {
    const history = [budgetSet(1_000_000, 10), allocated('app-1', 421_000)];

    it('releases an allocated waiver', () =>
      given(history)
        .when(release('app-1'))
        .then([released('app-1')]));

    it('refuses to release an unknown waiver', () =>
      given(history).when(release('app-9')).thenThrows(refusals.WaiverNotAllocated));

    it('refuses to release a waiver twice', () =>
      given([...history, released('app-1')])
        .when(release('app-1'))
        .thenThrows(refusals.WaiverNotAllocated));

    it('refuses a release without a reason', () =>
      given(history).when(release('app-1', '')).thenThrows(refusals.ReasonIsRequired));

    it('records what a semester waived', () =>
      given(history)
        .when(recordUse('app-1', 'autumn', 210_500))
        .then([used('app-1', 'autumn', 210_500)]));

    it('records nothing when the figure is unchanged', () =>
      given([...history, used('app-1', 'autumn', 210_500)])
        .when(recordUse('app-1', 'autumn', 210_500))
        .then([]));

    it('refuses use by an unknown waiver', () =>
      given(history)
        .when(recordUse('app-9', 'autumn', 1))
        .thenThrows(refusals.WaiverNotAllocated));
  });

  describe('summary', () => {
    it('tracks allocated, used and left', () => {
      const state = fold(waiverBudgetDecider, [
        budgetSet(1_000_000, 3),
        allocated('app-1', 400_000),
        allocated('app-2', 300_000),
        used('app-1', 'autumn', 200_000),
        used('app-2', 'autumn', 150_000),
        used('app-2', 'autumn', 120_000),
        released('app-2'),
      ]);
      // app-2 was released after using 120,000: that stays spent, its place in the count is freed.
      assert.deepStrictEqual(budgetSummary(state), {
        waivers: 1,
        allocated: 520_000,
        used: 320_000,
        amountLeft: 480_000,
        waiversLeft: 2,
      });
    });

    it('goes below zero after an override', () => {
      const state = fold(waiverBudgetDecider, [
        budgetSet(100, 1),
        allocated('app-1', 100),
        allocated('app-2', 50, { ...override, exceeded: ['amount', 'count'] }),
      ]);
      assert.deepStrictEqual(budgetSummary(state), {
        waivers: 2,
        allocated: 150,
        used: 0,
        amountLeft: -50,
        waiversLeft: -1,
      });
    });

    it('has no left without a budget', () =>
      assert.deepStrictEqual(budgetSummary(fold(waiverBudgetDecider, [allocated('app-1', 10)])), {
        waivers: 1,
        allocated: 10,
        used: 0,
        amountLeft: null,
        waiversLeft: null,
      }));
  });
});
