import { assertNever, type Decider } from '#libs/decider';
import type { PersonCommand } from './person.commands.js';
import { FodselsnummerIsNotReplacedByADNumber, PersonCannotMergeIntoItself, PersonWasMerged } from './person.errors.js';
import type { PersonEvent, PersonGender, PersonNumberKind } from './person.events.js';

/**
 * A person's stream (`people.subject-<id>`). A child the waitlist took in has no PersonRegistered yet (`Unrecorded`):
 * the people register knows it all the same, so every command but a second registration works on it.
 */
export type Person =
  | { readonly status: 'Unrecorded' }
  | {
      readonly status: 'Registered';
      readonly personId: string;
      readonly birthDate: string;
      readonly gender: PersonGender;
      readonly numberKind: PersonNumberKind;
    }
  | { readonly status: 'Merged'; readonly personId: string; readonly into: string };

export const initialPerson: Person = { status: 'Unrecorded' };

const evolve = (state: Person, event: PersonEvent): Person => {
  switch (event.type) {
    case 'PersonRegistered': {
      const { personId, birthDate, gender, numberKind } = event.data;
      return { status: 'Registered', personId, birthDate, gender, numberKind };
    }
    case 'NationalIdReplaced':
      return state.status === 'Registered' ? { ...state, numberKind: event.data.numberKind } : state;
    case 'PersonMerged':
      return { status: 'Merged', personId: event.data.from, into: event.data.into };
    case 'PersonalDataErased':
      return state;
    default:
      return assertNever(event);
  }
};

export const personDecider: Decider<PersonCommand, PersonEvent, Person> = {
  initialState: initialPerson,
  evolve,
  decide: (command, state) => {
    const { now } = command.metadata;
    switch (command.type) {
      case 'RegisterPerson': {
        if (state.status === 'Merged') throw new PersonWasMerged(state.personId, state.into);
        // The same number again is the same person: registering is idempotent.
        if (state.status === 'Registered') return [];
        return [{ type: 'PersonRegistered', data: { ...command.data, registeredAt: now } }];
      }
      case 'ReplaceNationalId': {
        if (state.status === 'Merged') throw new PersonWasMerged(state.personId, state.into);
        const { personId, previousKind, numberKind } = command.data;
        if (previousKind === 'fodselsnummer' && numberKind !== 'fodselsnummer')
          throw new FodselsnummerIsNotReplacedByADNumber();
        return [{ type: 'NationalIdReplaced', data: { personId, previousKind, numberKind, replacedAt: now } }];
      }
      case 'MergeInto': {
        const { from, into, retiredIds, intoIsRetired } = command.data;
        if (from === into) throw new PersonCannotMergeIntoItself();
        if (state.status === 'Merged') {
          if (state.into === into) return [];
          throw new PersonWasMerged(from, state.into);
        }
        // Merging into a retired id would leave a chain; the caller names the survivor.
        if (intoIsRetired) throw new PersonWasMerged(into, 'another person');
        return [{ type: 'PersonMerged', data: { from, into, retiredIds, mergedAt: now } }];
      }
      default:
        return assertNever(command);
    }
  },
};
