// Public contract of topic kulturskole.funding.v1: fee lines per payer and semester for billing, waiver levels.

export type FeeLineKindV1 =
  'BaseFee' | 'LateWithdrawalCharge' | 'SiblingDiscount' | 'WaiverReduction' | 'CancelledLessonsRefund';

export interface FeeLineV1 {
  kind: FeeLineKindV1;
  placeId: string;
  studentRef: string;
  amountOre: number;
}

export interface SemesterFeesAssessedV1 {
  assessmentId: string;
  /** Resolved to the payer only through the audited lookup API (role integration). */
  payerRef: string;
  schoolYear: string;
  term: 'autumn' | 'spring';
  currency: 'NOK';
  totalOre: number;
  lines: FeeLineV1[];
  replacesAssessmentId: string | null;
  assessedAt: string;
}

export interface FeeWaiverGrantedV1 {
  applicationId: string;
  householdRef: string;
  schoolYear: string;
  level: 'full' | 'partial';
  payPercent: number;
  decidedAt: string;
}

export interface FeeWaiverEndedV1 {
  applicationId: string;
  householdRef: string;
  schoolYear: string;
  reason: 'revoked' | 'expired';
  endedAt: string;
}
