import type { Command } from '#libs/decider';
import type { RegisterName } from './registers.state.js';

/** An entry as the admin gives it: checked against the register's shape by the decider. */
export type ProposedEntry = Readonly<Record<string, unknown>>;

interface EntryCommandData {
  register: RegisterName;
  key: string;
  entryId: string;
  /** The decision behind the change; also recorded in the events' metadata. */
  reason: string;
}

export type AddRegisterEntry = Command<'AddRegisterEntry', EntryCommandData & { entry: ProposedEntry }>;
export type ChangeRegisterEntry = Command<'ChangeRegisterEntry', EntryCommandData & { entry: ProposedEntry }>;
export type RetireRegisterEntry = Command<'RetireRegisterEntry', EntryCommandData>;
export type RegisterCommand = AddRegisterEntry | ChangeRegisterEntry | RetireRegisterEntry;
