import { refusal } from '#libs/decider';

// Input the domain refuses (400).
export class InvalidSchoolYear extends refusal(
  'invalid',
  (value: string) => `School year "${value}" must look like 2025-2026 (two consecutive years)`,
) {}

export class InvalidHouseholdSize extends refusal(
  'invalid',
  (value: number) => `Household size must be a whole number of at least 1, got ${value}`,
) {}

export class InvalidHouseholdIncome extends refusal(
  'invalid',
  (value: number) => `Household income must be a whole, non-negative amount in øre, got ${value}`,
) {}

export class IncomeReferenceIsMissing extends refusal(
  'invalid',
  () => 'The encrypted household income reference is missing',
) {}

export class ReasonIsRequired extends refusal('invalid', (action: string) => `A reason is required to ${action}`) {}

export class InvalidPolicy extends refusal('invalid', (problem: string) => `Funding policy is invalid: ${problem}`) {}

export class InvalidAmount extends refusal('invalid', (field: string, value: number) => ({
  message: `${field} must be a whole, non-negative amount in øre, got ${value}`,
  field,
})) {}

export class InvalidAssessmentInput extends refusal(
  'invalid',
  (problem: string) => `Fee assessment input is invalid: ${problem}`,
) {}

export class PolicyIsForAnotherSchoolYear extends refusal(
  'invalid',
  (expected: string, given: string) => `The policy given is for ${given}, but the case concerns ${expected}`,
) {}

export class WaiverIsForAnotherSchoolYear extends refusal(
  'invalid',
  (applicationId: string, waiverYear: string, semesterYear: string) =>
    `Waiver ${applicationId} covers ${waiverYear}; ${semesterYear} needs a new application`,
) {}

export class OverrideIsIncomplete extends refusal(
  'invalid',
  () => 'A budget override needs the approving admin and a reason',
) {}

// Unknown things (404).
export class ApplicationNotFound extends refusal(
  'not_found',
  (applicationId: string) => `No fee-waiver application ${applicationId}`,
) {}

export class UnknownBaseAmount extends refusal(
  'not_found',
  (schoolYear: string) => `No base amount (G) is configured for school year ${schoolYear}`,
) {}

export class WaiverNotAllocated extends refusal(
  'not_found',
  (applicationId: string) => `No budget allocation for waiver ${applicationId}`,
) {}

// Rules broken (409).
export class ApplicationAlreadySubmitted extends refusal(
  'conflict',
  (applicationId: string) => `Application ${applicationId} was already submitted`,
) {}

export class ApplicationAlreadyDecided extends refusal(
  'conflict',
  (applicationId: string, status: string) => `Application ${applicationId} is already decided (${status})`,
) {}

export class WaiverIsNotInForce extends refusal(
  'conflict',
  (applicationId: string, status: string) => `Application ${applicationId} has no waiver in force (${status})`,
) {}

export class SchoolYearHasNotEnded extends refusal(
  'conflict',
  (schoolYear: string, endsAt: string) =>
    `School year ${schoolYear} runs until ${endsAt}; its waivers cannot expire yet`,
) {}

export class BudgetExhausted extends refusal(
  'conflict',
  (schoolYear: string, exceeded: readonly ('amount' | 'count')[]) =>
    `The waiver budget for ${schoolYear} is exhausted (${exceeded.join(' and ')}); an admin override is required`,
) {}

export class WaiverAlreadyAllocated extends refusal(
  'conflict',
  (applicationId: string) => `Waiver ${applicationId} already holds a budget allocation`,
) {}

export class BudgetNeedsALimit extends refusal(
  'invalid',
  () => 'A waiver budget needs an amount, a number of waivers, or both',
) {}

export class InvalidWaiverCount extends refusal(
  'invalid',
  (value: number) => `The number of waivers must be a whole number of at least 0, got ${value}`,
) {}

export class AssessmentIsForAnotherPayer extends refusal(
  'invalid',
  (streamPayerId: string, givenPayerId: string) =>
    `This fee account belongs to payer ${streamPayerId}, not ${givenPayerId}`,
) {}
