import type { FeeWaiverExpired, FeeWaiverGranted, FeeWaiverRevoked, SemesterFeesAssessed } from '#libs/funding';
import type { IntegrationBodies } from '../contracts/catalogue.js';
import { emit, type TranslatorTable } from './translation.js';

type WaiverRefs = Pick<FeeWaiverGranted['data'], 'applicationId' | 'householdId' | 'schoolYear'>;
type WaiverEndedBody = IntegrationBodies['kulturskole.funding.fee-waiver-ended.v1'];

const waiverEnded = (d: WaiverRefs, reason: WaiverEndedBody['reason'], endedAt: WaiverEndedBody['endedAt']) =>
  emit('kulturskole.funding.fee-waiver-ended.v1', {
    applicationId: d.applicationId,
    householdRef: d.householdId,
    schoolYear: d.schoolYear,
    reason,
    endedAt,
  });

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
  FeeWaiverRevoked: (d: FeeWaiverRevoked['data']) => [waiverEnded(d, 'revoked', d.revokedAt)],
  FeeWaiverExpired: (d: FeeWaiverExpired['data']) => [waiverEnded(d, 'expired', d.expiredAt)],
} satisfies TranslatorTable;
