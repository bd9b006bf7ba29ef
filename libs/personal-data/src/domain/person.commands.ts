import type { Command } from '#libs/decider';
import type { PersonNumberKind, PersonGender } from './person.events.js';

export type RegisterPerson = Command<
  'RegisterPerson',
  { personId: string; birthDate: string; gender: PersonGender; numberKind: PersonNumberKind }
>;
/** `previousKind`: the kind of the number the register holds now (null: none kept). */
export type ReplaceNationalId = Command<
  'ReplaceNationalId',
  { personId: string; previousKind: PersonNumberKind | null; numberKind: PersonNumberKind }
>;
/** Sent to the retired person's stream; `intoIsRetired`: the survivor was itself merged into someone (read first). */
export type MergeInto = Command<
  'MergeInto',
  { from: string; into: string; retiredIds: string[]; intoIsRetired: boolean }
>;

export type PersonCommand = RegisterPerson | ReplaceNationalId | MergeInto;
