import { PersistentMap } from '#libs/decider';

/**
 * A folded state as JSON can show it: a decider may keep keyed collections in Maps or persistent maps (the waitlist
 * does), which JSON would write as `{}`. Both become objects by key, recursively through plain objects and arrays;
 * everything else is as it was.
 */
export const plainState = (value: unknown): unknown => {
  if (value instanceof Map || value instanceof PersistentMap)
    return Object.fromEntries([...value].map(([key, item]) => [String(key), plainState(item)]));
  if (Array.isArray(value)) return value.map(plainState);
  const prototype = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null)
    return Object.fromEntries(Object.entries(value as object).map(([key, item]) => [key, plainState(item)]));
  return value;
};
