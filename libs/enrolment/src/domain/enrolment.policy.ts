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
  /** Rule 6: each spring every place is asked to continue or quit: the request goes out on this day… */
  readonly placeReregistrationRequestDay: DayOfYear;
  /** …a reminder to those who have not answered on this one… */
  readonly placeReregistrationReminderDay: DayOfYear;
  /** …and the answer is due by this day (students by 1 May); all three in the spring of the place's school year. */
  readonly placeReconfirmationDeadline: DayOfYear;
  /** What no answer by the deadline means: the place continues (Trondheim) or ends at the school year's end. */
  readonly silenceOnReregistration: 'continue' | 'quit';
  /**
   * Rule 1 (residence): a student who moves out of the municipality stays eligible until the end of the semester of
   * the move (Trondheim), the end of that school year, or only up to the day before the move (see movedOutLastDay).
   */
  readonly movedOutEligibleUntil: 'endOfSemester' | 'endOfSchoolYear' | 'immediately';
}

export const trondheimEnrolmentPolicy: EnrolmentPolicy = {
  placesPerStudent: 2,
  eligibleUntilAge: 20,
  withdrawalDeadlines: { autumn: { month: 8, day: 10 }, spring: { month: 12, day: 10 } },
  placeReregistrationRequestDay: { month: 4, day: 1 },
  placeReregistrationReminderDay: { month: 4, day: 20 },
  placeReconfirmationDeadline: { month: 5, day: 1 },
  silenceOnReregistration: 'continue',
  movedOutEligibleUntil: 'endOfSemester',
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

/** The spring days of a school year's re-registration of places (rule 6), YYYY-MM-DD. */
export const reregistrationDays = (
  schoolYear: string,
  policy: EnrolmentPolicy,
): { requestOn: string; reminderOn: string; deadline: string } => {
  const spring = firstYearOf(schoolYear) + 1;
  const day = ({ month, day: d }: DayOfYear) => `${spring}-${pad(month)}-${pad(d)}`;
  return {
    requestOn: day(policy.placeReregistrationRequestDay),
    reminderOn: day(policy.placeReregistrationReminderDay),
    deadline: day(policy.placeReconfirmationDeadline),
  };
};

/** The last day of a school year (31 July): a place that quits ends then, one that continues moves on the next day. */
export const schoolYearLastDay = (schoolYear: string): string => `${firstYearOf(schoolYear) + 1}-07-31`;

/** The school year after one ("2025-2026" → "2026-2027"). */
export const nextSchoolYear = (schoolYear: string): string =>
  `${firstYearOf(schoolYear) + 1}-${firstYearOf(schoolYear) + 2}`;
