import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { EventFilter } from '../event-store.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The part of a subscription's filter EventStoreDB applies itself, so a subscriber is not sent `$all` whole: the
 * server filters on one thing, event type or stream name. Event types when given (they are the narrower: a
 * projection names its few types), else stream prefixes, else only system events are left out. Whatever the server
 * did not filter on (prefixes beside types, our stream naming) the adapter still checks on each event it is sent.
 */
export const serverSideFilter = (filter: EventFilter | undefined): Filter => {
  if (filter?.eventTypes?.length) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  return excludeSystemEvents();
};
