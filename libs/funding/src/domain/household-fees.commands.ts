import type { HouseholdAssessmentInput } from './fee-assessment.js';
import type { Command } from '#libs/decider';

/** Stream per payer: the latest assessment of each semester. */
export type AssessSemesterFees = Command<
  'AssessSemesterFees',
  HouseholdAssessmentInput & { assessmentId: string; payerId: string }
>;

export type HouseholdFeesCommand = AssessSemesterFees;
