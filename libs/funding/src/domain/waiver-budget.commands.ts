import type { Command } from '#libs/decider';
import type { Ore } from './money.js';
import type { Term } from './school-year.js';

export type SetWaiverBudget = Command<
  'SetWaiverBudget',
  { schoolYear: string; maxAmount: Ore | null; maxWaivers: number | null; setBy: string }
>;

export type AllocateWaiver = Command<
  'AllocateWaiver',
  { schoolYear: string; applicationId: string; amount: Ore; override: { adminId: string; reason: string } | null }
>;

export type ReleaseWaiver = Command<'ReleaseWaiver', { schoolYear: string; applicationId: string; reason: string }>;

export type RecordWaiverUse = Command<
  'RecordWaiverUse',
  { schoolYear: string; applicationId: string; term: Term; amount: Ore }
>;

export type WaiverBudgetCommand = SetWaiverBudget | AllocateWaiver | ReleaseWaiver | RecordWaiverUse;
