import { assertNever, type Decider } from '#libs/decider';
import { AssessmentIsForAnotherPayer } from './funding.errors.js';
import { assessHousehold, type HouseholdAssessment } from './fee-assessment.js';
import type { HouseholdFeesEvent } from './household-fees.events.js';
import type { HouseholdFeesCommand } from './household-fees.commands.js';
import type { HouseholdFees, LatestAssessment } from './household-fees.state.js';
import { semesterKey } from './school-year.js';

// Key order is not part of the value: a store may hand events back with their keys reordered (PostgreSQL jsonb does).
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const sameAssessment = (a: LatestAssessment, b: HouseholdAssessment): boolean =>
  canonical([a.lines, a.notBilled]) === canonical([b.lines, b.notBilled]);

const decide = (command: HouseholdFeesCommand, state: HouseholdFees): HouseholdFeesEvent[] => {
  switch (command.type) {
    case 'AssessSemesterFees': {
      const { assessmentId, payerId, ...input } = command.data;
      if (state.status === 'Assessed' && state.payerId !== payerId)
        throw new AssessmentIsForAnotherPayer(state.payerId, payerId);
      const assessment = assessHousehold(input);
      const previous = state.status === 'Assessed' ? state.latest[semesterKey(input.semester)] : undefined;
      // Enrolment events may be replayed: an unchanged assessment is not billed again.
      if (previous && sameAssessment(previous, assessment)) return [];
      // Nothing was ever billed and nothing is owed: there is nothing to tell billing.
      if (!previous && assessment.lines.length === 0) return [];
      return [
        {
          type: 'SemesterFeesAssessed',
          data: {
            assessmentId,
            payerId,
            schoolYear: input.semester.schoolYear,
            term: input.semester.term,
            lines: assessment.lines,
            notBilled: assessment.notBilled,
            owes: assessment.owes,
            replaces: previous?.assessmentId ?? null,
            assessedAt: command.metadata.now,
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
};

const evolve = (state: HouseholdFees, event: HouseholdFeesEvent): HouseholdFees => {
  switch (event.type) {
    case 'SemesterFeesAssessed': {
      const { assessmentId, payerId, schoolYear, term, lines, notBilled, owes } = event.data;
      const latest = state.status === 'Assessed' ? state.latest : {};
      return {
        status: 'Assessed',
        payerId,
        latest: { ...latest, [semesterKey({ schoolYear, term })]: { assessmentId, lines, notBilled, owes } },
      };
    }
    default:
      return assertNever(event.type);
  }
};

export const householdFeesDecider: Decider<HouseholdFeesCommand, HouseholdFeesEvent, HouseholdFees> = {
  decide,
  evolve,
  initialState: { status: 'NotAssessed' },
};
