import type { FeeLine, HouseholdAssessment } from './fee-assessment.js';
import type { Ore } from './money.js';

export interface LatestAssessment {
  assessmentId: string;
  lines: FeeLine[];
  notBilled: HouseholdAssessment['notBilled'];
  owes: Ore;
}

export type HouseholdFees =
  | { status: 'NotAssessed' }
  | { status: 'Assessed'; payerId: string; latest: Readonly<Record<string, LatestAssessment>> };
