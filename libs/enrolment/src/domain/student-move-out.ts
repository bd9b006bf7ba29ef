import { dayBefore, firstYearOf, semesterOf } from '#libs/calendar';
import type { EnrolmentPolicy } from './enrolment.policy.js';

/**
 * Rule 1: the last day (YYYY-MM-DD) a student who moves out of the municipality on `movedOn` stays eligible, so the
 * last day of its places. The semester and school year are those of the move (autumn ends 31 December, spring and
 * the school year 31 July); 'immediately' is the day before the move, the last day it lived here.
 */
export const movedOutLastDay = (movedOn: string, policy: Pick<EnrolmentPolicy, 'movedOutEligibleUntil'>): string => {
  const { schoolYear, term } = semesterOf(movedOn);
  const yearEnd = `${firstYearOf(schoolYear) + 1}-07-31`;
  switch (policy.movedOutEligibleUntil) {
    case 'immediately':
      return dayBefore(movedOn);
    case 'endOfSchoolYear':
      return yearEnd;
    case 'endOfSemester':
      return term === 'autumn' ? `${firstYearOf(schoolYear)}-12-31` : yearEnd;
  }
};

const MOVED_OUT_ELIGIBLE_UNTIL: readonly string[] = ['endOfSemester', 'endOfSchoolYear', 'immediately'];

/** Checks enrolment rules beyond their shape: when a student who moved out stays eligible must be a known choice. */
export const checkMovedOutRule = (
  rules: Readonly<Record<string, unknown>>,
): { rule: string; message: string } | undefined =>
  rules.movedOutEligibleUntil === undefined || MOVED_OUT_ELIGIBLE_UNTIL.includes(rules.movedOutEligibleUntil as string)
    ? undefined
    : { rule: 'movedOutEligibleUntil', message: `must be one of ${MOVED_OUT_ELIGIBLE_UNTIL.join(', ')}` };
