import { DomainError } from '#libs/decider';

// Input the domain refuses (400).
export class InvalidSchoolYear extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly value: string) {
    super(`School year "${value}" must look like 2025-2026 (two consecutive years)`);
  }
}

export class InvalidHouseholdSize extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly value: number) {
    super(`Household size must be a whole number of at least 1, got ${value}`);
  }
}

export class InvalidHouseholdIncome extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly value: number) {
    super(`Household income must be a whole, non-negative amount in øre, got ${value}`);
  }
}

export class IncomeReferenceIsMissing extends DomainError {
  readonly kind = 'invalid';
  constructor() {
    super('The encrypted household income reference is missing');
  }
}

export class ReasonIsRequired extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly action: string) {
    super(`A reason is required to ${action}`);
  }
}

export class InvalidPolicy extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly problem: string) {
    super(`Funding policy is invalid: ${problem}`);
  }
}

export class InvalidAmount extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly field: string,
    readonly value: number,
  ) {
    super(`${field} must be a whole, non-negative amount in øre, got ${value}`);
  }
}

export class InvalidAssessmentInput extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly problem: string) {
    super(`Fee assessment input is invalid: ${problem}`);
  }
}

export class PolicyIsForAnotherSchoolYear extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly expected: string,
    readonly given: string,
  ) {
    super(`The policy given is for ${given}, but the case concerns ${expected}`);
  }
}

export class WaiverIsForAnotherSchoolYear extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly applicationId: string,
    readonly waiverYear: string,
    readonly semesterYear: string,
  ) {
    super(`Waiver ${applicationId} covers ${waiverYear}; ${semesterYear} needs a new application`);
  }
}

export class OverrideIsIncomplete extends DomainError {
  readonly kind = 'invalid';
  constructor() {
    super('A budget override needs the approving admin and a reason');
  }
}

// Unknown things (404).
export class ApplicationNotFound extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly applicationId: string) {
    super(`No fee-waiver application ${applicationId}`);
  }
}

export class UnknownBaseAmount extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly schoolYear: string) {
    super(`No base amount (G) is configured for school year ${schoolYear}`);
  }
}

export class WaiverNotAllocated extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly applicationId: string) {
    super(`No budget allocation for waiver ${applicationId}`);
  }
}

// Rules broken (409).
export class ApplicationAlreadySubmitted extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly applicationId: string) {
    super(`Application ${applicationId} was already submitted`);
  }
}

export class ApplicationAlreadyDecided extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly applicationId: string,
    readonly status: string,
  ) {
    super(`Application ${applicationId} is already decided (${status})`);
  }
}

export class WaiverIsNotInForce extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly applicationId: string,
    readonly status: string,
  ) {
    super(`Application ${applicationId} has no waiver in force (${status})`);
  }
}

export class SchoolYearHasNotEnded extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly schoolYear: string,
    readonly endsAt: string,
  ) {
    super(`School year ${schoolYear} runs until ${endsAt}; its waivers cannot expire yet`);
  }
}

export class BudgetExhausted extends DomainError {
  readonly kind = 'conflict';
  constructor(
    readonly schoolYear: string,
    readonly exceeded: readonly ('amount' | 'count')[],
  ) {
    super(
      `The waiver budget for ${schoolYear} is exhausted (${exceeded.join(' and ')}); an admin override is required`,
    );
  }
}

export class WaiverAlreadyAllocated extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly applicationId: string) {
    super(`Waiver ${applicationId} already holds a budget allocation`);
  }
}

export class BudgetNeedsALimit extends DomainError {
  readonly kind = 'invalid';
  constructor() {
    super('A waiver budget needs an amount, a number of waivers, or both');
  }
}

export class InvalidWaiverCount extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly value: number) {
    super(`The number of waivers must be a whole number of at least 0, got ${value}`);
  }
}

export class AssessmentIsForAnotherPayer extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly streamPayerId: string,
    readonly givenPayerId: string,
  ) {
    super(`This fee account belongs to payer ${streamPayerId}, not ${givenPayerId}`);
  }
}
