import type { FeeWaiverExpired, FeeWaiverGranted, FeeWaiverRevoked, SemesterFeesAssessed } from '#libs/funding';
import { emit, type TranslatorTable } from './translation.js';

// Income, its band, the decision basis and free-text reasons never leave the funding context.
export const fundingTranslators = {
  SemesterFeesAssessed: (d: SemesterFeesAssessed['data']) => [
    emit('kulturskole.funding.semester-fees-assessed.v1', {
      assessmentId: d.assessmentId,
      payerRef: d.payerId,
      schoolYear: d.schoolYear,
      term: d.term,
      currency: 'NOK',
      totalOre: d.owes,
      lines: d.lines.map((line) => ({
        kind: line.kind,
        placeId: line.placeId,
        studentRef: line.childId,
        amountOre: line.amount,
      })),
      replacesAssessmentId: d.replaces,
      assessedAt: d.assessedAt,
    }),
  ],
  FeeWaiverGranted: (d: FeeWaiverGranted['data']) => [
    emit('kulturskole.funding.fee-waiver-granted.v1', {
      applicationId: d.applicationId,
      householdRef: d.householdId,
      schoolYear: d.schoolYear,
      level: d.level,
      payPercent: d.payPercent,
      decidedAt: d.decidedAt,
    }),
  ],
  FeeWaiverRevoked: (d: FeeWaiverRevoked['data']) => [
    emit('kulturskole.funding.fee-waiver-ended.v1', {
      applicationId: d.applicationId,
      householdRef: d.householdId,
      schoolYear: d.schoolYear,
      reason: 'revoked',
      endedAt: d.revokedAt,
    }),
  ],
  FeeWaiverExpired: (d: FeeWaiverExpired['data']) => [
    emit('kulturskole.funding.fee-waiver-ended.v1', {
      applicationId: d.applicationId,
      householdRef: d.householdId,
      schoolYear: d.schoolYear,
      reason: 'expired',
      endedAt: d.expiredAt,
    }),
  ],
} satisfies TranslatorTable;
