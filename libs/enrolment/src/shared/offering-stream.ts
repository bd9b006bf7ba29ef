import { streamName } from '#libs/event-store';

/** One stream per offering, in the caller's tenant: a token of one tenant cannot name another tenant's stream. */
export const offeringStream = (tenant: string, offeringId: string): string =>
  streamName(tenant, 'enrolment', 'offering', offeringId);
