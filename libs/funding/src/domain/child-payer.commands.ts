import type { Command } from '#libs/decider';

/** Stream per child: who pays for the child's places from now on. */
export type RegisterPayer = Command<'RegisterPayer', { childId: string; payerId: string; registeredBy: string }>;

export type ChildPayerCommand = RegisterPayer;
