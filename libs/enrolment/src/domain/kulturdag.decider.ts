import { assertNever, type Decider } from '#libs/decider';
import { isPrimarySchoolAge, isSchoolYear } from '#libs/calendar';
import {
  KulturdagPupilsAreInvalid,
  PupilIsAlreadyRegistered,
  SchoolHasAlreadyJoinedKulturdag,
  SchoolHasNotJoinedKulturdag,
  SchoolYearIsInvalid,
} from './enrolment.errors.js';
import type { KulturdagCommand } from './kulturdag.commands.js';
import type { KulturdagEvent } from './kulturdag.events.js';
import { initialKulturdag, type Kulturdag } from './kulturdag.state.js';

/*
 * Kulturdag (breadth programme): one stream per school and school year. Pupils are pseudonymous ids with a birth
 * year and their school, no names, so statistics can count how many later apply for and get a core place.
 */

export const evolveKulturdag = (state: Kulturdag, event: KulturdagEvent): Kulturdag => {
  switch (event.type) {
    case 'SchoolJoinedKulturdag': {
      const { schoolId, schoolYear, district } = event.data;
      return { status: 'Joined', schoolId, schoolYear, district, pupilIds: [] };
    }
    case 'KulturdagPupilRegistered':
      if (state.status !== 'Joined') return state;
      return { ...state, pupilIds: [...state.pupilIds, event.data.pupilId] };
    default:
      return assertNever(event);
  }
};

export const kulturdagDecider: Decider<KulturdagCommand, KulturdagEvent, Kulturdag> = {
  initialState: initialKulturdag,
  evolve: evolveKulturdag,
  decide: (command, state) => {
    const { now } = command.metadata;
    switch (command.type) {
      case 'JoinKulturdag': {
        const { schoolId, schoolYear, district } = command.data;
        if (!isSchoolYear(schoolYear)) throw new SchoolYearIsInvalid(schoolYear);
        if (state.status === 'Joined') throw new SchoolHasAlreadyJoinedKulturdag(state.schoolId, state.schoolYear);
        return [{ type: 'SchoolJoinedKulturdag', data: { schoolId, schoolYear, district, joinedAt: now } }];
      }
      case 'RegisterKulturdagPupils': {
        if (state.status !== 'Joined') throw new SchoolHasNotJoinedKulturdag();
        const { pupils } = command.data;
        if (pupils.length === 0) throw new KulturdagPupilsAreInvalid('Register at least one pupil');
        const seen = new Set(state.pupilIds);
        for (const { pupilId, birthYear } of pupils) {
          if (seen.has(pupilId)) throw new PupilIsAlreadyRegistered(pupilId);
          // Kulturdag runs in every grunnskole, grades 1 to 10.
          if (!isPrimarySchoolAge(birthYear, state.schoolYear)) {
            throw new KulturdagPupilsAreInvalid(`Pupil ${pupilId}, born ${birthYear}, is not of primary school age`);
          }
          seen.add(pupilId);
        }
        const { schoolId, schoolYear, district } = state;
        return pupils.map(({ pupilId, birthYear }) => ({
          type: 'KulturdagPupilRegistered',
          data: { schoolId, schoolYear, district, pupilId, birthYear, registeredAt: now },
        }));
      }
      default:
        return assertNever(command);
    }
  },
};
