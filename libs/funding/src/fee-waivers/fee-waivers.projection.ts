import type { OfferingOpened, PlaceEnrolled, PlaceTransferredOut, PlaceWithdrawn } from '#libs/enrolment';
import { ownedEvents, rows, type Projection, type RowChange } from '#libs/projections';
import {
  sum,
  type ChildPayerRegistered,
  type FeeWaiverEvent,
  type SemesterFeesAssessed,
  type WaiverBudgetEvent,
} from '../domain/index.js';

type FeeWaiversEvent =
  | OfferingOpened
  | PlaceEnrolled
  | PlaceWithdrawn
  | PlaceTransferredOut
  | ChildPayerRegistered
  | FeeWaiverEvent
  | SemesterFeesAssessed
  | WaiverBudgetEvent;

// Each event type is trusted only from the context that owns it, as the relay does.
const OWNER: Record<FeeWaiversEvent['type'], 'enrolment' | 'funding'> = {
  OfferingOpened: 'enrolment',
  PlaceEnrolled: 'enrolment',
  PlaceWithdrawn: 'enrolment',
  PlaceTransferredOut: 'enrolment',
  ChildPayerRegistered: 'funding',
  FeeWaiverAppliedFor: 'funding',
  FeeWaiverGranted: 'funding',
  FeeWaiverRejected: 'funding',
  FeeWaiverRevoked: 'funding',
  FeeWaiverExpired: 'funding',
  SemesterFeesAssessed: 'funding',
  WaiverBudgetSet: 'funding',
  WaiverAllocated: 'funding',
  WaiverReleased: 'funding',
  WaiverUseRecorded: 'funding',
};

const { eventTypes: EVENT_TYPES, isOwned: isFeeWaiversEvent } = ownedEvents<FeeWaiversEvent>(OWNER);

/**
 * Fee waivers for caseworkers and admins: applications and their decided level (never the income), the places of the
 * waived households' children (district, subject group), what each semester's assessment waived, and the budget.
 */
export const feeWaiversProjection: Projection = {
  name: 'fee_waivers',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: [
    {
      name: 'fee_waiver_applications',
      columns: {
        application_id: 'text',
        household_id: 'text',
        school_year: 'text',
        status: 'text',
        level: 'text',
        pay_percent: 'integer',
        rejection_code: 'text',
        applied_at: 'timestamptz',
        decided_at: 'timestamptz',
        ended_at: 'timestamptz',
      },
      key: ['application_id'],
      indexes: [['status', 'school_year'], ['household_id']],
    },
    {
      name: 'fee_waiver_payers',
      columns: { child_id: 'text', payer_id: 'text' },
      key: ['child_id'],
      indexes: [['payer_id']],
    },
    {
      name: 'fee_waiver_places',
      columns: {
        place_id: 'text',
        offering_id: 'text',
        child_id: 'text',
        district: 'text',
        subject_group: 'text',
        active: 'boolean',
      },
      key: ['place_id'],
      indexes: [['child_id'], ['offering_id']],
    },
    {
      name: 'fee_waiver_offerings',
      columns: { offering_id: 'text', school_year: 'text' },
      key: ['offering_id'],
    },
    {
      name: 'fee_waiver_semesters',
      columns: {
        payer_id: 'text',
        school_year: 'text',
        term: 'text',
        assessment_id: 'text',
        waived_ore: 'bigint',
        owes_ore: 'bigint',
      },
      key: ['payer_id', 'school_year', 'term'],
      indexes: [['school_year', 'term']],
    },
    {
      name: 'fee_waiver_budgets',
      columns: { school_year: 'text', max_amount_ore: 'bigint', max_waivers: 'integer', set_at: 'timestamptz' },
      key: ['school_year'],
    },
    {
      name: 'fee_waiver_allocations',
      columns: {
        application_id: 'text',
        school_year: 'text',
        amount_ore: 'bigint',
        active: 'boolean',
        used_autumn_ore: 'bigint',
        used_spring_ore: 'bigint',
        override_by: 'text',
        override_reason: 'text',
        override_exceeded: 'text',
        allocated_at: 'timestamptz',
      },
      key: ['application_id'],
      indexes: [['school_year']],
    },
  ],
  handle: (event) => (isFeeWaiversEvent(event) ? feeWaiverRows(event) : []),
};

const application = (applicationId: string, set: Record<string, string | number | null>): RowChange =>
  rows.update('fee_waiver_applications', { application_id: applicationId }, set);

const feeWaiverRows = (event: FeeWaiversEvent): RowChange[] => {
  switch (event.type) {
    case 'OfferingOpened':
      return [
        rows.upsert(
          'fee_waiver_offerings',
          { offering_id: event.data.offeringId },
          { school_year: event.data.schoolYear },
        ),
      ];
    case 'PlaceEnrolled': {
      const { placeId, offeringId, studentId, district, subjectGroup, transferredFrom } = event.data;
      return [
        ...(transferredFrom
          ? [rows.update('fee_waiver_places', { place_id: transferredFrom.placeId }, { active: false })]
          : []),
        rows.upsert(
          'fee_waiver_places',
          { place_id: placeId },
          { offering_id: offeringId, child_id: studentId, district, subject_group: subjectGroup, active: true },
        ),
      ];
    }
    case 'PlaceWithdrawn':
    case 'PlaceTransferredOut':
      return [rows.update('fee_waiver_places', { place_id: event.data.placeId }, { active: false })];
    case 'ChildPayerRegistered':
      return [rows.upsert('fee_waiver_payers', { child_id: event.data.childId }, { payer_id: event.data.payerId })];
    case 'FeeWaiverAppliedFor': {
      const { applicationId, householdId, schoolYear, appliedAt } = event.data;
      return [
        rows.upsert(
          'fee_waiver_applications',
          { application_id: applicationId },
          {
            household_id: householdId,
            school_year: schoolYear,
            status: 'pending',
            level: null,
            pay_percent: null,
            rejection_code: null,
            applied_at: appliedAt,
            decided_at: null,
            ended_at: null,
          },
        ),
      ];
    }
    case 'FeeWaiverGranted': {
      const { applicationId, level, payPercent, decidedAt } = event.data;
      return [application(applicationId, { status: 'granted', level, pay_percent: payPercent, decided_at: decidedAt })];
    }
    case 'FeeWaiverRejected':
      return [
        application(event.data.applicationId, {
          status: 'rejected',
          rejection_code: event.data.reason.code,
          decided_at: event.data.decidedAt,
        }),
      ];
    case 'FeeWaiverRevoked':
      return [application(event.data.applicationId, { status: 'revoked', ended_at: event.data.revokedAt })];
    case 'FeeWaiverExpired':
      return [application(event.data.applicationId, { status: 'expired', ended_at: event.data.expiredAt })];
    case 'SemesterFeesAssessed': {
      const { payerId, schoolYear, term, assessmentId, lines, owes } = event.data;
      const waived = -sum(lines.filter((line) => line.kind === 'WaiverReduction').map((line) => line.amount));
      // The latest assessment of a semester replaces the earlier one, so the row is overwritten, not added to.
      return [
        rows.upsert(
          'fee_waiver_semesters',
          { payer_id: payerId, school_year: schoolYear, term },
          { assessment_id: assessmentId, waived_ore: waived, owes_ore: owes },
        ),
      ];
    }
    case 'WaiverBudgetSet': {
      const { schoolYear, maxAmount, maxWaivers, setAt } = event.data;
      return [
        rows.upsert(
          'fee_waiver_budgets',
          { school_year: schoolYear },
          { max_amount_ore: maxAmount, max_waivers: maxWaivers, set_at: setAt },
        ),
      ];
    }
    case 'WaiverAllocated': {
      const { applicationId, schoolYear, amount, override, allocatedAt } = event.data;
      return [
        rows.upsert(
          'fee_waiver_allocations',
          { application_id: applicationId },
          {
            school_year: schoolYear,
            amount_ore: amount,
            active: true,
            used_autumn_ore: 0,
            used_spring_ore: 0,
            override_by: override?.adminId ?? null,
            override_reason: override?.reason ?? null,
            override_exceeded: override ? override.exceeded.join(',') : null,
            allocated_at: allocatedAt,
          },
        ),
      ];
    }
    case 'WaiverReleased':
      return [rows.update('fee_waiver_allocations', { application_id: event.data.applicationId }, { active: false })];
    case 'WaiverUseRecorded': {
      const { applicationId, term, amount } = event.data;
      const column = term === 'autumn' ? 'used_autumn_ore' : 'used_spring_ore';
      return [rows.update('fee_waiver_allocations', { application_id: applicationId }, { [column]: amount })];
    }
  }
};
