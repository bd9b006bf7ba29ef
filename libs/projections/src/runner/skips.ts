import type { EventStore, NewEvent } from '#libs/event-store';
import { eventIdFor, metadataFor, type CommandContext } from '#libs/platform';
import { streamName } from '#libs/event-store';

export const PROJECTION_EVENT_SKIPPED = 'ProjectionEventSkipped';

/**
 * An admin's decision to leave an event out of a projection. It is an event (not a row) so the decision is in the
 * same immutable, replayable history auditors read, and every later build of that version leaves the event out too.
 */
export interface ProjectionEventSkippedData {
  projection: string;
  version: number;
  skippedEventId: string;
  skippedPosition: string;
  error: string | null;
}

export const skipStream = (tenant: string, projection: string): string =>
  streamName(tenant, 'projections', 'projection', projection.replace(/_/g, '-'));

export const recordSkip = async (
  store: EventStore,
  context: CommandContext,
  data: ProjectionEventSkippedData,
): Promise<void> => {
  const stream = skipStream(context.principal.tenant, data.projection);
  const event: NewEvent<typeof PROJECTION_EVENT_SKIPPED, ProjectionEventSkippedData> = {
    // Derived from what is skipped, so a repeated skip (e.g. after a crash) is the same no-op append.
    eventId: eventIdFor(`skip:${data.projection}@v${data.version}:${data.skippedEventId}`, stream, 0),
    type: PROJECTION_EVENT_SKIPPED,
    schemaVersion: 1,
    data,
    metadata: metadataFor(context),
  };
  await store.appendToStream(stream, [event], { expectedRevision: 'any' });
};

/** Ids of the events recorded as skipped for this projection version. */
export const loadSkips = async (store: EventStore, projection: string, version: number): Promise<Set<string>> => {
  const skipped = new Set<string>();
  // A skip just recorded must count: a runner resuming without it would stop at the same event again.
  await store.awaitSettled();
  let fromPosition: bigint | undefined;
  for (;;) {
    const page = await store.readAll({
      fromPosition,
      maxCount: 1000,
      filter: { eventTypes: [PROJECTION_EVENT_SKIPPED] },
    });
    for (const event of page.events) {
      const data = event.data as ProjectionEventSkippedData;
      if (data.projection === projection && data.version === version) skipped.add(data.skippedEventId);
    }
    if (page.isEnd || page.lastPosition === undefined) return skipped;
    fromPosition = page.lastPosition;
  }
};
