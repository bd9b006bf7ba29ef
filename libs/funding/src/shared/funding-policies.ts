import { Inject, Injectable, Optional } from '@nestjs/common';
import { POLICY_OVERRIDES, type PolicyOverrides } from '#libs/platform';
import {
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
 * The fee and waiver rules per school year: Trondheim's defaults, overridden per year by configuration. A decision
 * keeps the schedule and G it used in its event, so changing a year's configuration never changes a decision made.
 */
@Injectable()
export class FundingPolicies {
  private overrides: Record<string, Partial<Omit<FundingPolicy, 'schoolYear'>>>;

  constructor(
    @Optional() @Inject(FUNDING_POLICY_OVERRIDES) overrides?: FundingPolicyOverrides,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    // The funding part of POLICIES_FILE; validatePolicy below checks every year of it.
    this.overrides = { ...(overrides ?? (configured?.funding as FundingPolicyOverrides | undefined)) };
    for (const [year, policy] of Object.entries(this.overrides))
      validatePolicy({ ...policy, schoolYear: parseSchoolYear(year) });
  }

  /** Replaces a year's configuration (e.g. next year's schedule set by the municipality). */
  configure(schoolYear: string, policy: Partial<Omit<FundingPolicy, 'schoolYear'>>): void {
    const year = parseSchoolYear(schoolYear);
    validatePolicy({ ...policy, schoolYear: year });
    this.overrides = { ...this.overrides, [year]: policy };
  }

  /** Throws UnknownBaseAmount (404) for a year with no G configured: a waiver cannot be decided without it. */
  waiverPolicy(schoolYear: string): WaiverPolicy {
    return fundingPolicyFor(schoolYear, this.overrides[schoolYear] ?? {});
  }

  // Fees need no G: a late withdrawal can charge a semester of a year whose G is not set yet.
  feePolicy(schoolYear: string): FeePolicy {
    const year = parseSchoolYear(schoolYear);
    return validatePolicy({ ...trondheimDefaults, ...this.overrides[year], schoolYear: year });
  }
}
