import type { Ore } from './money.js';
import type { SchoolYear, Term } from './school-year.js';

export interface Allocation {
  amount: Ore;
  active: boolean;
  used: Readonly<Partial<Record<Term, Ore>>>;
}

export type Allocations = Readonly<Record<string, Allocation>>;

/** Stream per school year; without a budget set, waivers are unlimited but still tracked. */
export type WaiverBudget =
  | { status: 'Unlimited'; allocations: Allocations }
  | {
      status: 'Limited';
      schoolYear: SchoolYear;
      maxAmount: Ore | null;
      maxWaivers: number | null;
      allocations: Allocations;
    };
