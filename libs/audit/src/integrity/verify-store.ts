import type { Pool } from '#libs/database';
import { parseStreamName, verifyIntegrity } from '#libs/event-store';
import { StreamBelongsToAnotherTenant } from '../state/state-as-of.js';

export interface IntegrityAnswer {
  scope: string;
  intact: boolean;
  eventsChecked: number;
  streamsChecked: number;
  firstBreak: {
    streamName: string;
    revision: number;
    position: string;
    eventId: string | null;
    problem: string;
  } | null;
}

/**
 * The hash-chain check for an auditor: one stream of their tenant, or the whole store. A break in another tenant's
 * stream is reported (the store as a whole is not intact) without naming that tenant's stream or event.
 */
export const verifyStore = async (pool: Pool, tenant: string, stream?: string): Promise<IntegrityAnswer> => {
  if (stream !== undefined && parseStreamName(stream).tenant !== tenant) throw new StreamBelongsToAnotherTenant(stream);
  const report = await verifyIntegrity(pool, stream === undefined ? {} : { streamName: stream });
  const found = report.firstBreak;
  const ours = found ? found.streamName.startsWith(`${tenant}.`) : true;
  return {
    scope: stream ?? 'whole store',
    intact: found === undefined,
    eventsChecked: report.eventsChecked,
    streamsChecked: report.streamsChecked,
    firstBreak: found
      ? {
          streamName: ours ? found.streamName : '(a stream of another tenant)',
          revision: found.streamRevision,
          position: String(found.position),
          eventId: ours ? found.eventId : null,
          problem: found.problem,
        }
      : null,
  };
};
