import type { Event } from '#libs/decider';
import type { Ore } from './money.js';
import type { SchoolYear, Term } from './school-year.js';

export type BudgetLimit = 'amount' | 'count';

/** An allocation beyond the budget, with who allowed it and why. */
export interface BudgetOverride {
  adminId: string;
  reason: string;
  exceeded: BudgetLimit[];
}

export type WaiverBudgetSet = Event<
  'WaiverBudgetSet',
  { schoolYear: SchoolYear; maxAmount: Ore | null; maxWaivers: number | null; setBy: string; setAt: string }
>;

/** `amount` is the handler's estimate of what the waiver will cost over the school year. */
export type WaiverAllocated = Event<
  'WaiverAllocated',
  { schoolYear: SchoolYear; applicationId: string; amount: Ore; override: BudgetOverride | null; allocatedAt: string }
>;

export type WaiverReleased = Event<
  'WaiverReleased',
  { schoolYear: SchoolYear; applicationId: string; reason: string; releasedAt: string }
>;

/** What fee assessments actually waived in a semester; a later figure for the same semester replaces it. */
export type WaiverUseRecorded = Event<
  'WaiverUseRecorded',
  { schoolYear: SchoolYear; applicationId: string; term: Term; amount: Ore; recordedAt: string }
>;

export type WaiverBudgetEvent = WaiverBudgetSet | WaiverAllocated | WaiverReleased | WaiverUseRecorded;
