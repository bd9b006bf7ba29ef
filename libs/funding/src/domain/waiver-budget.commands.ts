import type { DomainCommand } from './messages.js';
import type { Ore } from './money.js';
import type { Term } from './school-year.js';

export type SetWaiverBudget = DomainCommand<
  'SetWaiverBudget',
  { schoolYear: string; maxAmount: Ore | null; maxWaivers: number | null; setBy: string }
>;

export type AllocateWaiver = DomainCommand<
  'AllocateWaiver',
  { schoolYear: string; applicationId: string; amount: Ore; override: { adminId: string; reason: string } | null }
>;

export type ReleaseWaiver = DomainCommand<
  'ReleaseWaiver',
  { schoolYear: string; applicationId: string; reason: string }
>;

export type RecordWaiverUse = DomainCommand<
  'RecordWaiverUse',
  { schoolYear: string; applicationId: string; term: Term; amount: Ore }
>;

export type WaiverBudgetCommand = SetWaiverBudget | AllocateWaiver | ReleaseWaiver | RecordWaiverUse;
