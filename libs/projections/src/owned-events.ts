import type { RecordedEvent } from '#libs/event-store';

/**
 * For a projection over several contexts' events: each event type it handles with the context that owns it, trusted
 * only from that context's streams (`<tenant>.<context>.…`), as the relay does. Gives the projection's `eventTypes`
 * and the guard its `handle` starts with.
 */
export const ownedEvents = <E extends { type: string }>(owner: Readonly<Record<E['type'], string>>) => ({
  eventTypes: Object.keys(owner) as E['type'][],
  isOwned: (event: RecordedEvent): event is RecordedEvent & E =>
    event.type in owner && contextIs(event.streamName, owner[event.type as E['type']]),
});

/** Whether the stream name's second part is `context`: compared in place, no split (it runs for every event). */
const contextIs = (streamName: string, context: string): boolean => {
  const start = streamName.indexOf('.') + 1;
  if (start === 0) return false;
  const end = start + context.length;
  return streamName.startsWith(context, start) && (end === streamName.length || streamName.charCodeAt(end) === DOT);
};

const DOT = 46;
