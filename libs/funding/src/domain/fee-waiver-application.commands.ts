import type { Command } from '#libs/decider';
import type { Ore } from './money.js';
import type { WaiverPolicy } from './policy.js';

export type ApplyForWaiver = Command<
  'ApplyForWaiver',
  {
    applicationId: string;
    householdId: string;
    schoolYear: string;
    householdSize: number;
    /** Ciphertext reference of the declared income, supplied by the handler after encrypting it. */
    incomeRef: string;
  }
>;

/** The only command that sees the income in the clear; it decides on it and lets it go. */
export type AssessApplication = Command<
  'AssessApplication',
  {
    applicationId: string;
    caseworkerId: string;
    householdIncome: Ore;
    policy: WaiverPolicy;
    /** A caseworker may reject on other grounds (e.g. not resident); null decides by the schedule alone. */
    rejectionReason: string | null;
  }
>;

export type RevokeWaiver = Command<'RevokeWaiver', { applicationId: string; revokedBy: string; reason: string }>;

export type ExpireWaiver = Command<'ExpireWaiver', { applicationId: string }>;

export type FeeWaiverCommand = ApplyForWaiver | AssessApplication | RevokeWaiver | ExpireWaiver;
