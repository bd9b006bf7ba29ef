import type { Event } from '#libs/decider';

/** What the people register says about a person in events: never a name or a number, only its kind. */
export type PersonNumberKind = 'fodselsnummer' | 'd-number' | 'h-number';
export type PersonGender = 'female' | 'male' | 'unknown';

/** A caseworker registered the child by national identity number; `personId` is the pseudonym events carry. */
export type PersonRegistered = Event<
  'PersonRegistered',
  { personId: string; birthDate: string; gender: PersonGender; numberKind: PersonNumberKind; registeredAt: string }
>;

/** The person's number was replaced (a D-number by a fødselsnummer); the old one still finds the same person. */
export type NationalIdReplaced = Event<
  'NationalIdReplaced',
  { personId: string; previousKind: PersonNumberKind | null; numberKind: PersonNumberKind; replacedAt: string }
>;

/**
 * Two registrations were one child: `from` is retired into `into`, which keeps its id. `retiredIds` are `from` and
 * every id merged into `from` before, so a read model maps each of them to `into` without reading anything else.
 */
export type PersonMerged = Event<
  'PersonMerged',
  { from: string; into: string; retiredIds: string[]; mergedAt: string }
>;

/** Recorded by erasure on the same stream; the register (not the stream) knows the person is erased. */
export type PersonalDataErased = Event<'PersonalDataErased', { subjectId: string; erasedAt: string }>;

export type PersonEvent = PersonRegistered | NationalIdReplaced | PersonMerged | PersonalDataErased;
