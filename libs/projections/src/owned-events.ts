import type { RecordedEvent } from '#libs/event-store';

/**
 * For a projection over several contexts' events: each event type it handles with the context that owns it, trusted
 * only from that context's streams (`<tenant>.<context>.…`), as the relay does. Gives the projection's `eventTypes`
 * and the guard its `handle` starts with.
 */
export const ownedEvents = <E extends { type: string }>(owner: Readonly<Record<E['type'], string>>) => ({
  eventTypes: Object.keys(owner) as E['type'][],
  isOwned: (event: RecordedEvent): event is RecordedEvent & E =>
    event.type in owner && event.streamName.split('.')[1] === owner[event.type as E['type']],
});
