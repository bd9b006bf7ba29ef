import type { Command } from '#libs/decider';

/** Where a child's payer came from: the guardian who applied, another payer the application named, or a caseworker. */
export type PayerSource = 'applicant' | 'named' | 'caseworker';

/** Stream per child: who pays for the child's places from now on. */
export type RegisterPayer = Command<'RegisterPayer', { childId: string; payerId: string; registeredBy: string }>;

/**
 * Sent by the funding process when a place comes from an application: the application's payer (the guardian who
 * applied, or the payer it named) pays, unless the child already has a payer.
 */
export type RegisterPayerFromApplication = Command<
  'RegisterPayerFromApplication',
  {
    childId: string;
    payerId: string;
    source: Exclude<PayerSource, 'caseworker'>;
    applicationId: string;
    placeId: string;
    registeredBy: string;
  }
>;

export type ChildPayerCommand = RegisterPayer | RegisterPayerFromApplication;
