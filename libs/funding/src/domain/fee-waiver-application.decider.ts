import { assertNever, type Decider } from '#libs/decider';
import {
  ApplicationAlreadyDecided,
  ApplicationAlreadySubmitted,
  ApplicationNotFound,
  IncomeReferenceIsMissing,
  InvalidHouseholdIncome,
  InvalidHouseholdSize,
  PolicyIsForAnotherSchoolYear,
  ReasonIsRequired,
  SchoolYearHasNotEnded,
  WaiverIsNotInForce,
} from './funding.errors.js';
import type { DecisionBasis, FeeWaiverEvent } from './fee-waiver-application.events.js';
import { bandFor, incomeLimit } from './income-schedule.js';
import type {
  ApplyForWaiver,
  AssessApplication,
  ExpireWaiver,
  FeeWaiverCommand,
  RevokeWaiver,
} from './fee-waiver-application.commands.js';
import type { Application, FeeWaiverApplication } from './fee-waiver-application.state.js';
import type { WaiverInForce } from './fee-assessment.js';
import type { Ore } from './money.js';
import { validatePolicy } from './policy.js';
import { parseSchoolYear, schoolYearEndsAt } from './school-year.js';

const facts = ({ applicationId, householdId, schoolYear }: Application) => ({ applicationId, householdId, schoolYear });
/** The application as made, which every later state keeps. */
const applicationOf = (state: Application): Application => ({
  ...facts(state),
  householdSize: state.householdSize,
  incomeRef: state.incomeRef,
});

const kroner = (øre: Ore): string => `NOK ${(øre / 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })}`;

const apply = ({ data, metadata }: ApplyForWaiver, state: FeeWaiverApplication): FeeWaiverEvent[] => {
  const schoolYear = parseSchoolYear(data.schoolYear);
  if (!Number.isSafeInteger(data.householdSize) || data.householdSize < 1)
    throw new InvalidHouseholdSize(data.householdSize);
  if (data.incomeRef.trim() === '') throw new IncomeReferenceIsMissing();
  if (state.status !== 'NotApplied') throw new ApplicationAlreadySubmitted(state.applicationId);
  return [
    {
      type: 'FeeWaiverAppliedFor',
      data: {
        applicationId: data.applicationId,
        householdId: data.householdId,
        schoolYear,
        householdSize: data.householdSize,
        incomeRef: data.incomeRef,
        appliedAt: metadata.now,
      },
    },
  ];
};

const assess = ({ data, metadata }: AssessApplication, state: FeeWaiverApplication): FeeWaiverEvent[] => {
  if (!Number.isSafeInteger(data.householdIncome) || data.householdIncome < 0)
    throw new InvalidHouseholdIncome(data.householdIncome);
  if (state.status === 'NotApplied') throw new ApplicationNotFound(data.applicationId);
  if (state.status !== 'Pending') throw new ApplicationAlreadyDecided(state.applicationId, state.status);
  // Each school year is judged by its own schedule and G: a new year needs a new application.
  if (data.policy.schoolYear !== state.schoolYear)
    throw new PolicyIsForAnotherSchoolYear(state.schoolYear, data.policy.schoolYear);
  const { baseAmountG, incomeSchedule } = validatePolicy(data.policy);
  const basis: DecisionBasis = { baseAmountG, incomeSchedule };
  const decided = {
    incomeRef: state.incomeRef,
    basis,
    decidedBy: data.caseworkerId,
    decidedAt: metadata.now,
  };
  if (data.rejectionReason !== null) {
    if (data.rejectionReason.trim() === '') throw new ReasonIsRequired('reject an application');
    return [
      {
        type: 'FeeWaiverRejected',
        data: { ...facts(state), ...decided, reason: { code: 'CaseworkerDecision', text: data.rejectionReason } },
      },
    ];
  }
  const band = bandFor(data.householdIncome, incomeSchedule, baseAmountG);
  if (!band) {
    const top = incomeSchedule[incomeSchedule.length - 1];
    const text = top
      ? `Household income is above ${top.upToG} G (${kroner(incomeLimit(top, baseAmountG))})`
      : 'The schedule grants no waivers';
    return [
      {
        type: 'FeeWaiverRejected',
        data: { ...facts(state), ...decided, reason: { code: 'IncomeAboveSchedule', text } },
      },
    ];
  }
  const level = band.payPercent === 0 ? 'full' : 'partial';
  return [
    { type: 'FeeWaiverGranted', data: { ...facts(state), ...decided, level, payPercent: band.payPercent, band } },
  ];
};

const revoke = ({ data, metadata }: RevokeWaiver, state: FeeWaiverApplication): FeeWaiverEvent[] => {
  if (data.reason.trim() === '') throw new ReasonIsRequired('revoke a waiver');
  if (state.status === 'NotApplied') throw new ApplicationNotFound(data.applicationId);
  if (state.status !== 'Granted') throw new WaiverIsNotInForce(state.applicationId, state.status);
  return [
    {
      type: 'FeeWaiverRevoked',
      data: { ...facts(state), reason: data.reason, revokedBy: data.revokedBy, revokedAt: metadata.now },
    },
  ];
};

const expire = ({ data, metadata }: ExpireWaiver, state: FeeWaiverApplication): FeeWaiverEvent[] => {
  if (state.status === 'NotApplied') throw new ApplicationNotFound(data.applicationId);
  if (state.status !== 'Granted') throw new WaiverIsNotInForce(state.applicationId, state.status);
  const endsAt = schoolYearEndsAt(state.schoolYear);
  if (Date.parse(metadata.now) < endsAt.getTime())
    throw new SchoolYearHasNotEnded(state.schoolYear, endsAt.toISOString());
  return [{ type: 'FeeWaiverExpired', data: { ...facts(state), expiredAt: metadata.now } }];
};

const decide = (command: FeeWaiverCommand, state: FeeWaiverApplication): FeeWaiverEvent[] => {
  switch (command.type) {
    case 'ApplyForWaiver':
      return apply(command, state);
    case 'AssessApplication':
      return assess(command, state);
    case 'RevokeWaiver':
      return revoke(command, state);
    case 'ExpireWaiver':
      return expire(command, state);
    default:
      return assertNever(command);
  }
};

const evolve = (state: FeeWaiverApplication, event: FeeWaiverEvent): FeeWaiverApplication => {
  switch (event.type) {
    case 'FeeWaiverAppliedFor': {
      const { applicationId, householdId, schoolYear, householdSize, incomeRef } = event.data;
      return { status: 'Pending', applicationId, householdId, schoolYear, householdSize, incomeRef };
    }
    case 'FeeWaiverGranted':
      if (state.status !== 'Pending') return state;
      return {
        ...state,
        status: 'Granted',
        level: event.data.level,
        payPercent: event.data.payPercent,
        band: event.data.band,
        basis: event.data.basis,
      };
    case 'FeeWaiverRejected':
      if (state.status !== 'Pending') return state;
      return { ...state, status: 'Rejected', reason: event.data.reason };
    case 'FeeWaiverRevoked':
      if (state.status !== 'Granted') return state;
      return { ...applicationOf(state), status: 'Revoked', payPercent: state.payPercent, reason: event.data.reason };
    case 'FeeWaiverExpired':
      if (state.status !== 'Granted') return state;
      return { ...applicationOf(state), status: 'Expired', payPercent: state.payPercent };
    default:
      return assertNever(event);
  }
};

export const feeWaiverApplicationDecider: Decider<FeeWaiverCommand, FeeWaiverEvent, FeeWaiverApplication> = {
  decide,
  evolve,
  initialState: { status: 'NotApplied' },
};

/** The waiver a fee assessment should apply, if this application has one in force. */
export const waiverInForce = (state: FeeWaiverApplication): WaiverInForce | null =>
  state.status === 'Granted'
    ? { applicationId: state.applicationId, schoolYear: state.schoolYear, payPercent: state.payPercent }
    : null;
