import { streamName } from '#libs/event-store';

/** A person's own stream; erasure appends PersonalDataErased to the same one. */
export const personStream = (tenant: string, personId: string): string =>
  streamName(tenant, 'people', 'subject', personId);
