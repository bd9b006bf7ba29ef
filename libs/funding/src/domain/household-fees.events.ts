import type { FeeLine, HouseholdAssessment } from './fee-assessment.js';
import type { Event } from '#libs/decider';
import type { Ore } from './money.js';
import type { SchoolYear, Term } from './school-year.js';

/** One payer's fees for one semester, line by line; a later one for the same semester replaces it. */
export type SemesterFeesAssessed = Event<
  'SemesterFeesAssessed',
  {
    assessmentId: string;
    payerId: string;
    schoolYear: SchoolYear;
    term: Term;
    lines: FeeLine[];
    notBilled: HouseholdAssessment['notBilled'];
    owes: Ore;
    /** The assessment this one replaces, so billing can credit it; null for the first. */
    replaces: string | null;
    assessedAt: string;
  }
>;

export type HouseholdFeesEvent = SemesterFeesAssessed;
