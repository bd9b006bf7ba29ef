import type { HouseholdAssessmentInput } from './fee-assessment.js';
import type { DomainCommand } from './messages.js';

/** Stream per payer: the latest assessment of each semester. */
export type AssessSemesterFees = DomainCommand<
  'AssessSemesterFees',
  HouseholdAssessmentInput & { assessmentId: string; payerId: string }
>;

export type HouseholdFeesCommand = AssessSemesterFees;
