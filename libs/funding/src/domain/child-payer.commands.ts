import type { DomainCommand } from './messages.js';

/** Stream per child: who pays for the child's places from now on. */
export type RegisterPayer = DomainCommand<'RegisterPayer', { childId: string; payerId: string; registeredBy: string }>;

export type ChildPayerCommand = RegisterPayer;
