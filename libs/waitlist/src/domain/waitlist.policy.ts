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
  /**
   * The day in the spring the yearly reconfirmation request goes out: every entry made before it must be reconfirmed
   * by that spring's deadline; one made on or after it was made for the coming school year and confirms itself.
   */
  readonly reconfirmationRequestedOn: { readonly month: number; readonly day: number };
  /** Rule 12: seats of a coming school year are offered in queue order on this day in June, not as applications come. */
  readonly mainAdmissionOn: { readonly month: number; readonly day: number };
  /** When enrolment refuses an accepted offer: the child keeps its position in the queue, or its entry ends. */
  readonly refusedAdmission: 'keeps-position' | 'ends-entry';
}

export type OrderingPolicy = Pick<WaitlistPolicy, 'noPlaceFirst' | 'specialNeedsPriority'>;

export const trondheimWaitlistPolicy: WaitlistPolicy = {
  noPlaceFirst: true,
  specialNeedsPriority: false,
  answerDays: 7,
  silenceMeansAcceptance: true,
  reconfirmBy: { month: 5, day: 1 },
  reconfirmationRequestedOn: { month: 4, day: 1 },
  mainAdmissionOn: { month: 6, day: 15 },
  refusedAdmission: 'keeps-position',
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

/** The day (YYYY-MM-DD) the yearly reconfirmation request for a school year goes out. */
export const reconfirmationRequestDay = (schoolYear: string, policy: WaitlistPolicy): string =>
  `${firstYearOf(schoolYear)}-${pad(policy.reconfirmationRequestedOn.month)}-${pad(policy.reconfirmationRequestedOn.day)}`;

/** The day (YYYY-MM-DD) of a school year's main admission, in the spring before it starts. */
export const mainAdmissionDay = (schoolYear: string, policy: WaitlistPolicy): string =>
  `${firstYearOf(schoolYear)}-${pad(policy.mainAdmissionOn.month)}-${pad(policy.mainAdmissionOn.day)}`;
