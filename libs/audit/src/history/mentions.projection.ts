import { rows, type Projection } from '#libs/projections';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Every uuid an event's data holds, at any depth, once: the ids an auditor traces (people, cases, places). */
export const uuidsIn = (data: unknown, found = new Set<string>()): Set<string> => {
  if (typeof data === 'string') {
    if (isUuid(data)) found.add(data.toLowerCase());
  } else if (Array.isArray(data)) {
    for (const item of data) uuidsIn(item, found);
  } else if (data !== null && typeof data === 'object') {
    for (const value of Object.values(data)) uuidsIn(value, found);
  }
  return found;
};

/** Whether a value appears anywhere in the data, as the jsonpath `$.**` search finds it. */
export const mentions = (data: unknown, id: string): boolean => {
  if (data === id) return true;
  if (Array.isArray(data)) return data.some((item) => mentions(item, id));
  if (data !== null && typeof data === 'object') return Object.values(data).some((value) => mentions(value, id));
  return false;
};

/**
 * Which events mention which id: the index behind the auditor's history. Kept by the projection runner off the
 * append path (an index on es_events.data cost appends a fifth of their speed), so it trails the store by the
 * runner's lag; the history reads the events above its checkpoint straight from the store (EventHistory).
 */
export const auditMentionsProjection: Projection = {
  name: 'audit_mentions',
  version: 1,
  eventTypes: 'all',
  tables: [{ name: 'audit_mentions', columns: { id: 'uuid', position: 'bigint' }, key: ['id', 'position'] }],
  handle: (event) =>
    [...uuidsIn(event.data)].map((id) => rows.upsert('audit_mentions', { id, position: event.position })),
};
