import type { IncomeBand, IncomeSchedule } from './income-schedule.js';
import type { Event } from '#libs/decider';
import type { Ore } from './money.js';
import type { SchoolYear } from './school-year.js';

// Events carry the encrypted income reference and the decided band, never the income itself.
interface ApplicationFacts {
  applicationId: string;
  /** Pseudonymous id of the paying household. */
  householdId: string;
  schoolYear: SchoolYear;
}

/** The schedule and G a decision used, kept with it so a later year's schedule never changes it. */
export interface DecisionBasis {
  baseAmountG: Ore;
  incomeSchedule: IncomeSchedule;
}

export type FeeWaiverAppliedFor = Event<
  'FeeWaiverAppliedFor',
  ApplicationFacts & { householdSize: number; incomeRef: string; appliedAt: string }
>;

export type FeeWaiverGranted = Event<
  'FeeWaiverGranted',
  ApplicationFacts & {
    level: 'full' | 'partial';
    /** Share of the fee the household still pays: 0 for a full waiver. */
    payPercent: number;
    band: IncomeBand;
    basis: DecisionBasis;
    incomeRef: string;
    decidedBy: string;
    decidedAt: string;
  }
>;

export type RejectionReason =
  { code: 'IncomeAboveSchedule'; text: string } | { code: 'CaseworkerDecision'; text: string };

export type FeeWaiverRejected = Event<
  'FeeWaiverRejected',
  ApplicationFacts & {
    reason: RejectionReason;
    basis: DecisionBasis;
    incomeRef: string;
    decidedBy: string;
    decidedAt: string;
  }
>;

export type FeeWaiverRevoked = Event<
  'FeeWaiverRevoked',
  ApplicationFacts & { reason: string; revokedBy: string; revokedAt: string }
>;

export type FeeWaiverExpired = Event<'FeeWaiverExpired', ApplicationFacts & { expiredAt: string }>;

export type FeeWaiverEvent =
  FeeWaiverAppliedFor | FeeWaiverGranted | FeeWaiverRejected | FeeWaiverRevoked | FeeWaiverExpired;
