import { policiesBySchoolYear, type PoliciesBySchoolYear } from '#libs/decider';
import { firstYearOf } from '#libs/calendar';

/** Waitlist rules that differ between municipalities (domain README rules 3, 5, 6); Trondheim's values by default. */
export interface WaitlistPolicy {
  /** A child with no place in the culture school goes ahead of one who already has a place. */
  readonly noPlaceFirst: boolean;
  /** Declared special needs go ahead of everything else (Lindesnes); not a priority rule in Trondheim. */
  readonly specialNeedsPriority: boolean;
  /** Days a family has to answer an offer. */
  readonly answerDays: number;
  /** An offer not declined by its deadline counts as accepted ("silence means acceptance"). */
  readonly silenceMeansAcceptance: boolean;
  /** Waitlist entries must be reconfirmed by this day in the spring before the school year starts. */
  readonly reconfirmBy: { readonly month: number; readonly day: number };
}

export type OrderingPolicy = Pick<WaitlistPolicy, 'noPlaceFirst' | 'specialNeedsPriority'>;

export const trondheimWaitlistPolicy: WaitlistPolicy = {
  noPlaceFirst: true,
  specialNeedsPriority: false,
  answerDays: 7,
  silenceMeansAcceptance: true,
  reconfirmBy: { month: 5, day: 1 },
};

/** The policy in force for a school year ("2025-2026"). */
export type WaitlistPolicies = PoliciesBySchoolYear<WaitlistPolicy>;

/** Trondheim's defaults, overridden per school year where the municipality decided otherwise. */
export const waitlistPolicies = (
  overrides: Readonly<Record<string, Partial<WaitlistPolicy>>> = {},
  defaults: WaitlistPolicy = trondheimWaitlistPolicy,
): WaitlistPolicies => policiesBySchoolYear(overrides, defaults);

const pad = (n: number): string => String(n).padStart(2, '0');

/** The last day (YYYY-MM-DD, inclusive) to reconfirm a waitlist entry for a school year: in the spring before it starts. */
export const reconfirmationDeadline = (schoolYear: string, policy: WaitlistPolicy): string =>
  `${firstYearOf(schoolYear)}-${pad(policy.reconfirmBy.month)}-${pad(policy.reconfirmBy.day)}`;
