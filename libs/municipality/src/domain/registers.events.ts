import type { Event } from '#libs/decider';
import type { RegisterEntry, RegisterName } from './registers.state.js';

/*
 * Stored on the tenant's stream `<tenant>.municipality.registers-all`; the reason and the actor are in the metadata.
 * `entryId` is derived from tenant, register and key, so the auditor's history of an entry finds all its changes.
 */
export type RegisterEntryAdded = Event<
  'RegisterEntryAdded',
  { register: RegisterName; key: string; entryId: string; entry: RegisterEntry }
>;
export type RegisterEntryChanged = Event<
  'RegisterEntryChanged',
  { register: RegisterName; key: string; entryId: string; entry: RegisterEntry; previous: RegisterEntry }
>;
export type RegisterEntryRetired = Event<
  'RegisterEntryRetired',
  { register: RegisterName; key: string; entryId: string }
>;
export type RegisterEvent = RegisterEntryAdded | RegisterEntryChanged | RegisterEntryRetired;

export const REGISTER_EVENT_TYPES: readonly RegisterEvent['type'][] = [
  'RegisterEntryAdded',
  'RegisterEntryChanged',
  'RegisterEntryRetired',
];
