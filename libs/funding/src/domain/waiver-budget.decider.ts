import { assertNever, type Decider } from '#libs/decider';
import {
  BudgetExhausted,
  BudgetNeedsALimit,
  InvalidWaiverCount,
  OverrideIsIncomplete,
  ReasonIsRequired,
  WaiverAlreadyAllocated,
  WaiverNotAllocated,
} from './funding.errors.js';
import type { WaiverBudgetCommand } from './waiver-budget.commands.js';
import type { Allocation, WaiverBudget } from './waiver-budget.state.js';
import { assertOre, sum, type Ore } from './money.js';
import { parseSchoolYear } from './school-year.js';
import type { BudgetLimit, WaiverBudgetEvent } from './waiver-budget.events.js';

const usedBy = (allocation: Allocation): Ore => sum(Object.values(allocation.used));

export interface BudgetSummary {
  waivers: number;
  allocated: Ore;
  used: Ore;
  /** Null where the budget sets no such limit; negative after an override. */
  amountLeft: Ore | null;
  waiversLeft: number | null;
}

// A released waiver frees its place in the count but keeps what it already used.
export const budgetSummary = (state: WaiverBudget): BudgetSummary => {
  const allocations = Object.values(state.allocations);
  const allocated = sum(allocations.map((a) => (a.active ? Math.max(a.amount, usedBy(a)) : usedBy(a))));
  const waivers = allocations.filter((a) => a.active).length;
  const limited = state.status === 'Limited';
  return {
    waivers,
    allocated,
    used: sum(allocations.map(usedBy)),
    amountLeft: limited && state.maxAmount !== null ? state.maxAmount - allocated : null,
    waiversLeft: limited && state.maxWaivers !== null ? state.maxWaivers - waivers : null,
  };
};

const exceededBy = (state: WaiverBudget, amount: Ore): BudgetLimit[] => {
  const { amountLeft, waiversLeft } = budgetSummary(state);
  const exceeded: BudgetLimit[] = [];
  if (amountLeft !== null && amount > amountLeft) exceeded.push('amount');
  if (waiversLeft !== null && waiversLeft < 1) exceeded.push('count');
  return exceeded;
};

const decide = (command: WaiverBudgetCommand, state: WaiverBudget): WaiverBudgetEvent[] => {
  const schoolYear = parseSchoolYear(command.data.schoolYear);
  const now = command.metadata.now;
  switch (command.type) {
    case 'SetWaiverBudget': {
      const { maxAmount, maxWaivers, setBy } = command.data;
      if (maxAmount === null && maxWaivers === null) throw new BudgetNeedsALimit();
      if (maxAmount !== null) assertOre('budget amount', maxAmount);
      if (maxWaivers !== null && !(Number.isSafeInteger(maxWaivers) && maxWaivers >= 0))
        throw new InvalidWaiverCount(maxWaivers);
      return [{ type: 'WaiverBudgetSet', data: { schoolYear, maxAmount, maxWaivers, setBy, setAt: now } }];
    }
    case 'AllocateWaiver': {
      const { applicationId, amount, override } = command.data;
      assertOre('waiver amount', amount);
      if (state.allocations[applicationId]) throw new WaiverAlreadyAllocated(applicationId);
      const exceeded = exceededBy(state, amount);
      if (exceeded.length > 0 && override === null) throw new BudgetExhausted(schoolYear, exceeded);
      if (exceeded.length > 0 && override !== null && (override.adminId.trim() === '' || override.reason.trim() === ''))
        throw new OverrideIsIncomplete();
      // An override is recorded only when it was needed: within budget there is nothing to override.
      const recorded = exceeded.length > 0 && override !== null ? { ...override, exceeded } : null;
      return [
        { type: 'WaiverAllocated', data: { schoolYear, applicationId, amount, override: recorded, allocatedAt: now } },
      ];
    }
    case 'ReleaseWaiver': {
      const { applicationId, reason } = command.data;
      if (reason.trim() === '') throw new ReasonIsRequired('release a waiver');
      if (!state.allocations[applicationId]?.active) throw new WaiverNotAllocated(applicationId);
      return [{ type: 'WaiverReleased', data: { schoolYear, applicationId, reason, releasedAt: now } }];
    }
    case 'RecordWaiverUse': {
      const { applicationId, term, amount } = command.data;
      assertOre('waived amount', amount);
      const allocation = state.allocations[applicationId];
      if (!allocation) throw new WaiverNotAllocated(applicationId);
      // Reassessments repeat the same figure: record only changes.
      if (allocation.used[term] === amount) return [];
      return [{ type: 'WaiverUseRecorded', data: { schoolYear, applicationId, term, amount, recordedAt: now } }];
    }
    default:
      return assertNever(command);
  }
};

const withAllocation = (
  state: WaiverBudget,
  applicationId: string,
  change: (a: Allocation) => Allocation,
): WaiverBudget => {
  const current = state.allocations[applicationId];
  return current ? { ...state, allocations: { ...state.allocations, [applicationId]: change(current) } } : state;
};

const evolve = (state: WaiverBudget, event: WaiverBudgetEvent): WaiverBudget => {
  switch (event.type) {
    case 'WaiverBudgetSet': {
      const { schoolYear, maxAmount, maxWaivers } = event.data;
      return { status: 'Limited', schoolYear, maxAmount, maxWaivers, allocations: state.allocations };
    }
    case 'WaiverAllocated':
      return {
        ...state,
        allocations: {
          ...state.allocations,
          [event.data.applicationId]: { amount: event.data.amount, active: true, used: {} },
        },
      };
    case 'WaiverReleased':
      return withAllocation(state, event.data.applicationId, (a) => ({ ...a, active: false }));
    case 'WaiverUseRecorded':
      return withAllocation(state, event.data.applicationId, (a) => ({
        ...a,
        used: { ...a.used, [event.data.term]: event.data.amount },
      }));
    default:
      return assertNever(event);
  }
};

export const waiverBudgetDecider: Decider<WaiverBudgetCommand, WaiverBudgetEvent, WaiverBudget> = {
  decide,
  evolve,
  initialState: { status: 'Unlimited', allocations: {} },
};
