import { policiesBySchoolYear, type PoliciesBySchoolYear } from '#libs/decider';
import { firstYearOf, isSchoolYear, schoolYearOf, type Semester } from '#libs/calendar';

interface DayOfYear {
  readonly month: number;
  readonly day: number;
}

/** Enrolment rules that differ between municipalities (domain README rules 1, 2, 7); Trondheim's by default. */
export interface EnrolmentPolicy {
  /** Rule 2: at most this many places per student. */
  readonly placesPerStudent: number;
  /** Rule 1: eligible up to and including the semester in which the student turns this age. */
  readonly eligibleUntilAge: number;
  /** Rule 7: notice after this day owes the semester's fee (autumn: 10 Aug; spring: 10 Dec the year before). */
  readonly withdrawalDeadlines: { readonly autumn: DayOfYear; readonly spring: DayOfYear };
}

export const trondheimEnrolmentPolicy: EnrolmentPolicy = {
  placesPerStudent: 2,
  eligibleUntilAge: 20,
  withdrawalDeadlines: { autumn: { month: 8, day: 10 }, spring: { month: 12, day: 10 } },
};

/** The policy in force for a school year ("2025-2026"). */
export type EnrolmentPolicies = PoliciesBySchoolYear<EnrolmentPolicy>;

/** Trondheim's defaults, overridden per school year where the municipality decided otherwise. */
export const enrolmentPolicies = (
  overrides: Readonly<Record<string, Partial<EnrolmentPolicy>>> = {},
  defaults: EnrolmentPolicy = trondheimEnrolmentPolicy,
): EnrolmentPolicies => policiesBySchoolYear(overrides, defaults);

/** The policy for a school year ("2025-2026"), a date (YYYY-MM-DD) or an instant. */
export const enrolmentPolicyFor = (at: string, policies: EnrolmentPolicies = enrolmentPolicies()): EnrolmentPolicy =>
  policies(isSchoolYear(at) ? at : schoolYearOf(at));

const pad = (n: number): string => String(n).padStart(2, '0');

/** The last day (YYYY-MM-DD) to give notice without owing the semester; both deadlines fall in the first calendar year. */
export const withdrawalDeadline = (semester: Semester, policy: EnrolmentPolicy): string => {
  const { month, day } = policy.withdrawalDeadlines[semester.term];
  return `${firstYearOf(semester.schoolYear)}-${pad(month)}-${pad(day)}`;
};

/**
 * Rule 1 with only a birth year known: the student turns the age some time in the year birthYear + age, so the
 * last eligible semester is that year's autumn (the benefit of the doubt goes to the student).
 */
export const isEligibleByAge = (birthYear: number, semester: Semester, policy: EnrolmentPolicy): boolean => {
  const calendarYear = firstYearOf(semester.schoolYear) + (semester.term === 'spring' ? 1 : 0);
  return calendarYear - birthYear <= policy.eligibleUntilAge;
};
