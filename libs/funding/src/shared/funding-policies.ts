import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  POLICY_OVERRIDES,
  PolicyBook,
  rulesLike,
  type PolicyOverrides,
  type YearlyRules,
  type CommandContext,
} from '#libs/platform';
import {
  baseAmountKnown,
  fundingPolicyFor,
  parseSchoolYear,
  trondheimDefaults,
  validatePolicy,
  type FeePolicy,
  type FundingPolicy,
  type WaiverPolicy,
} from '../domain/index.js';

export type FundingPolicyOverrides = Readonly<Record<string, Partial<Omit<FundingPolicy, 'schoolYear'>>>>;

/** Provide this (from a global module) to run funding with other schedules, fees or G than Trondheim's defaults. */
export const FUNDING_POLICY_OVERRIDES = Symbol('FUNDING_POLICY_OVERRIDES');

/**
 * The fee and waiver rules per tenant and school year: Trondheim's defaults, overridden per year by configuration and
 * then by the tenant's recorded changes (PolicyBook). A decision keeps the schedule and G it used in its event, so
 * changing a year's rules never changes a decision made.
 */
@Injectable()
export class FundingPolicies {
  private overrides: Record<string, Partial<Omit<FundingPolicy, 'schoolYear'>>>;

  constructor(
    private readonly book: PolicyBook,
    @Optional() @Inject(FUNDING_POLICY_OVERRIDES) overrides?: FundingPolicyOverrides,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    // The funding part of POLICIES_FILE; validatePolicy below checks every year of it.
    this.overrides = { ...(overrides ?? (configured?.funding as FundingPolicyOverrides | undefined)) };
    for (const [year, policy] of Object.entries(this.overrides))
      validatePolicy({ ...policy, schoolYear: parseSchoolYear(year) });
    book.register('funding', {
      check: (schoolYear, rules) => {
        rulesLike(FUNDING_RULES, 'funding')(schoolYear, rules);
        validatePolicy({ ...(rules as Partial<FundingPolicy>), schoolYear: parseSchoolYear(schoolYear) });
      },
      // With the year's G where it is known; the fee rules alone where it is not yet.
      effective: (tenantRules, schoolYear) => {
        const merged = this.merged(tenantRules, schoolYear);
        return merged.baseAmountG !== undefined || baseAmountKnown(schoolYear)
          ? fundingPolicyFor(schoolYear, merged)
          : feeRules(merged, schoolYear);
      },
    });
  }

  /** Replaces a year's configuration in this process only (tests); a tenant's change goes through PolicyBook. */
  configure(schoolYear: string, policy: Partial<Omit<FundingPolicy, 'schoolYear'>>): void {
    const year = parseSchoolYear(schoolYear);
    validatePolicy({ ...policy, schoolYear: year });
    this.overrides = { ...this.overrides, [year]: policy };
  }

  /** Throws UnknownBaseAmount (404) for a year with no G configured: a waiver cannot be decided without it. */
  async waiverPolicy(command: CommandContext, schoolYear: string): Promise<WaiverPolicy> {
    return fundingPolicyFor(schoolYear, this.merged(await this.book.forCommand(command, 'funding'), schoolYear));
  }

  // Fees need no G: a late withdrawal can charge a semester of a year whose G is not set yet.
  // Both read the tenant's rules once per command (PolicyBook.forCommand), however often a command asks.
  async feePolicy(command: CommandContext, schoolYear: string): Promise<FeePolicy> {
    return feeRules(this.merged(await this.book.forCommand(command, 'funding'), schoolYear), schoolYear);
  }

  private merged(tenantRules: YearlyRules, schoolYear: string): Partial<Omit<FundingPolicy, 'schoolYear'>> {
    return { ...this.overrides[schoolYear], ...(tenantRules[schoolYear] as Partial<FundingPolicy> | undefined) };
  }
}

// The rules a tenant may set: Trondheim's, plus the year's G (a number of øre like the fees).
const FUNDING_RULES = { ...trondheimDefaults, baseAmountG: 0 };

const feeRules = (rules: Partial<Omit<FundingPolicy, 'schoolYear'>>, schoolYear: string): FeePolicy =>
  validatePolicy({ ...trondheimDefaults, ...rules, schoolYear: parseSchoolYear(schoolYear) });
