import { compareSemesters, nextSemester, previousSemester, semesterOf, type Semester } from '#libs/calendar';
import { enrolmentPolicies, withdrawalDeadline, type EnrolmentPolicies } from './enrolment.policy.js';

/** What a withdrawal leaves owing (rule 7), as PlaceWithdrawn records it. */
export interface WithdrawalNotice {
  /** The semester after the one the last day falls in; `afterDeadline`: notice came after its `deadline`, so it is owed. */
  readonly nextSemester: Semester;
  readonly deadline: string;
  readonly afterDeadline: boolean;
  /** The place owes each of its semesters up to and including this one, and none after it. */
  readonly lastSemesterOwed: Semester;
}

const later = (a: Semester, b: Semester): Semester => (compareSemesters(a, b) >= 0 ? a : b);

/**
 * Rule 7 is about when notice is given: notice on or before a semester's deadline frees it, later notice owes it. A
 * place still active after a semester's deadline (its teaching has begun) owes that semester whatever the notice.
 * Both reach back to the place's first semester, so what is owed runs up to the later of the last semester the place
 * is active in after its deadline and the last semester whose deadline had passed when notice was given.
 *
 * `effectiveOn` is the place's last day and `noticeOn` the day notice was given, both Oslo dates (YYYY-MM-DD).
 */
export const withdrawalNotice = (
  effectiveOn: string,
  noticeOn: string,
  policies: EnrolmentPolicies = enrolmentPolicies(),
): WithdrawalNotice => {
  const deadlineOf = (semester: Semester): string => withdrawalDeadline(semester, policies(semester.schoolYear));
  const endsIn = semesterOf(effectiveOn);
  // A last day on or before the autumn deadline (1–10 August) ends the place before autumn teaching begins.
  const lastActive = effectiveOn > deadlineOf(endsIn) ? endsIn : previousSemester(endsIn);
  // Deadlines fall in their school year's first calendar year, so none two semesters ahead has passed yet.
  let lastNoticed = nextSemester(nextSemester(semesterOf(noticeOn)));
  while (noticeOn <= deadlineOf(lastNoticed)) lastNoticed = previousSemester(lastNoticed);
  const next = nextSemester(endsIn);
  const deadline = deadlineOf(next);
  return {
    nextSemester: next,
    deadline,
    afterDeadline: noticeOn > deadline,
    lastSemesterOwed: later(lastActive, lastNoticed),
  };
};
