import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import {
  AssessmentIsForAnotherPayer,
  PolicyIsForAnotherSchoolYear,
  WaiverIsForAnotherSchoolYear,
} from './funding.errors.js';
import type { PlaceToAssess } from './fee-assessment.js';
import { householdFeesDecider } from './household-fees.decider.js';
import type { AssessSemesterFees } from './household-fees.commands.js';
import type { SemesterFeesAssessed } from './household-fees.events.js';
import { fundingPolicyFor } from './policy.js';

const given = DeciderSpecification.for(householdFeesDecider);
const piano: PlaceToAssess = {
  placeId: 'p1',
  childId: 'c1',
  offeringId: 'offering-piano',
  startedOn: '2025-08-18',
  withdrawnOn: null,
  offeringFee: null,
  cancelledLessons: 0,
};
const assess = (assessmentId: string, more: Partial<AssessSemesterFees['data']> = {}): AssessSemesterFees => ({
  type: 'AssessSemesterFees',
  data: {
    assessmentId,
    payerId: 'household-h1',
    semester: { schoolYear: '2025-2026', term: 'autumn' },
    policy: fundingPolicyFor('2025-2026'),
    children: [{ childId: 'c1', birthDate: '2014-04-04' }],
    places: [piano],
    waiver: null,
    ...more,
  },
  metadata: { now: new Date('2025-09-01T06:00:00Z').toISOString() },
});
const first: SemesterFeesAssessed = {
  type: 'SemesterFeesAssessed',
  data: {
    assessmentId: 'fa-1',
    payerId: 'household-h1',
    schoolYear: '2025-2026',
    term: 'autumn',
    lines: [{ kind: 'BaseFee', placeId: 'p1', childId: 'c1', amount: 210_500 }],
    notBilled: [],
    owes: 210_500,
    replaces: null,
    assessedAt: '2025-09-01T06:00:00.000Z',
  },
};

describe('household fees', () => {
  describe('never assessed', () => {
    it('assesses a semester with its lines', () => given([]).when(assess('fa-1')).then([first]));

    it('writes nothing when nothing is owed', () =>
      given([])
        .when(assess('fa-1', { places: [] }))
        .then([]));

    it("refuses another year's policy", () =>
      given([])
        .when(assess('fa-1', { policy: fundingPolicyFor('2024-2025') }))
        .thenThrows(PolicyIsForAnotherSchoolYear));

    it("refuses another year's waiver: each year needs its own application", () =>
      given([])
        .when(assess('fa-1', { waiver: { applicationId: 'app-0', schoolYear: '2024-2025', payPercent: 0 } }))
        .thenThrows(WaiverIsForAnotherSchoolYear));
  });

  describe('assessed', () => {
    it('writes nothing when the assessment is unchanged', () => given([first]).when(assess('fa-2')).then([]));

    it('writes nothing when the stored lines come back with their keys reordered, as from jsonb', () => {
      const [line] = first.data.lines;
      const reordered = line && { amount: line.amount, childId: line.childId, kind: line.kind, placeId: line.placeId };
      const stored = { ...first, data: { ...first.data, lines: [reordered] as typeof first.data.lines } };
      given([stored]).when(assess('fa-2')).then([]);
    });

    it('replaces the assessment when a waiver is granted', () =>
      given([first])
        .when(assess('fa-2', { waiver: { applicationId: 'app-1', schoolYear: '2025-2026', payPercent: 0 } }))
        .then([
          {
            type: 'SemesterFeesAssessed',
            data: {
              ...first.data,
              assessmentId: 'fa-2',
              lines: [
                ...first.data.lines,
                {
                  kind: 'WaiverReduction',
                  placeId: 'p1',
                  childId: 'c1',
                  amount: -210_500,
                  payPercent: 0,
                  applicationId: 'app-1',
                },
              ],
              owes: 0,
              replaces: 'fa-1',
            },
          },
        ]));

    it('credits the whole semester when the place is withdrawn by the deadline', () =>
      given([first])
        .when(assess('fa-2', { places: [{ ...piano, withdrawnOn: '2025-08-09' }] }))
        .then([
          {
            type: 'SemesterFeesAssessed',
            data: {
              ...first.data,
              assessmentId: 'fa-2',
              lines: [],
              notBilled: [{ placeId: 'p1', reason: 'WithdrawnByDeadline' }],
              owes: 0,
              replaces: 'fa-1',
            },
          },
        ]));

    it('assesses another semester independently', () =>
      given([first])
        .when(assess('fa-2', { semester: { schoolYear: '2025-2026', term: 'spring' } }))
        .then([
          {
            type: 'SemesterFeesAssessed',
            data: { ...first.data, assessmentId: 'fa-2', term: 'spring', replaces: null },
          },
        ]));

    it("refuses another payer's assessment on this stream", () =>
      given([first])
        .when(assess('fa-2', { payerId: 'household-h2' }))
        .thenThrows(AssessmentIsForAnotherPayer));
  });
});
