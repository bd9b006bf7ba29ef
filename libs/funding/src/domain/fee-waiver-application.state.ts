import type { DecisionBasis, RejectionReason } from './fee-waiver-application.events.js';
import type { IncomeBand } from './income-schedule.js';
import type { SchoolYear } from './school-year.js';

export interface Application {
  applicationId: string;
  householdId: string;
  schoolYear: SchoolYear;
  householdSize: number;
  incomeRef: string;
}

export type FeeWaiverApplication =
  | { status: 'NotApplied' }
  | ({ status: 'Pending' } & Application)
  | ({
      status: 'Granted';
      level: 'full' | 'partial';
      payPercent: number;
      band: IncomeBand;
      basis: DecisionBasis;
    } & Application)
  | ({ status: 'Rejected'; reason: RejectionReason } & Application)
  | ({ status: 'Revoked'; payPercent: number; reason: string } & Application)
  | ({ status: 'Expired'; payPercent: number } & Application);
