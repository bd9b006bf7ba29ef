import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import type { KulturdagCommand } from './kulturdag.commands.js';
import { kulturdagDecider } from './kulturdag.decider.js';
import type { KulturdagEvent } from './kulturdag.events.js';

const given = DeciderSpecification.for(kulturdagDecider);
const NOW = '2025-08-25T08:00:00.000Z';
const metadata = { now: NOW };
const school = { schoolId: 'school-sjetne', schoolYear: '2025-2026', district: 'Heimdal' as const };
const joined: KulturdagEvent = { type: 'SchoolJoinedKulturdag', data: { ...school, joinedAt: NOW } };
const register = (...pupils: { pupilId: string; birthYear: number }[]): KulturdagCommand => ({
  type: 'RegisterKulturdagPupils',
  data: { pupils },
  metadata,
});
const registered = (pupilId: string, birthYear: number): KulturdagEvent => ({
  type: 'KulturdagPupilRegistered',
  data: { ...school, pupilId, birthYear, registeredAt: NOW },
});

describe('kulturdag decider', () => {
  describe('a school not yet in Kulturdag', () => {
    it('joins for a school year', () =>
      given([]).when({ type: 'JoinKulturdag', data: school, metadata }).then([joined]));

    it('refuses a malformed school year', () =>
      given([])
        .when({ type: 'JoinKulturdag', data: { ...school, schoolYear: '2025' }, metadata })
        .thenThrows(refusals.SchoolYearIsInvalid));

    it('cannot register pupils', () =>
      given([])
        .when(register({ pupilId: 'pupil-1', birthYear: 2016 }))
        .thenThrows(refusals.SchoolHasNotJoinedKulturdag));
  });

  describe('a school in Kulturdag', () => {
    it('cannot join twice', () =>
      given([joined])
        .when({ type: 'JoinKulturdag', data: school, metadata })
        .thenThrows(refusals.SchoolHasAlreadyJoinedKulturdag));

    it('registers pupils by pseudonymous id, birth year and school', () =>
      given([joined])
        .when(register({ pupilId: 'pupil-1', birthYear: 2016 }, { pupilId: 'pupil-2', birthYear: 2017 }))
        .then([registered('pupil-1', 2016), registered('pupil-2', 2017)]));

    it('refuses a pupil registered before', () =>
      given([joined, registered('pupil-1', 2016)])
        .when(register({ pupilId: 'pupil-1', birthYear: 2016 }))
        .thenThrows(refusals.PupilIsAlreadyRegistered));

    it('refuses the same pupil twice in one batch', () =>
      given([joined])
        .when(register({ pupilId: 'pupil-1', birthYear: 2016 }, { pupilId: 'pupil-1', birthYear: 2016 }))
        .thenThrows(refusals.PupilIsAlreadyRegistered));

    // 2025-2026: grade 1 turns 6 in 2025 (born 2019), grade 10 turns 15 (born 2010).
    it.each([2010, 2019])('registers a pupil born %i, in grades 1 to 10', (birthYear) =>
      given([joined])
        .when(register({ pupilId: 'pupil-1', birthYear }))
        .then([registered('pupil-1', birthYear)]),
    );

    it.each([2009, 2020])('refuses a pupil born %i, outside grades 1 to 10', (birthYear) =>
      given([joined])
        .when(register({ pupilId: 'pupil-1', birthYear }))
        .thenThrows(refusals.KulturdagPupilsAreInvalid, new RegExp(`born ${birthYear}, is not of primary school age`)),
    );

    it('refuses a birth year outside primary school age', () =>
      given([joined])
        .when(register({ pupilId: 'pupil-1', birthYear: 2005 }))
        .thenThrows(refusals.KulturdagPupilsAreInvalid));

    it('refuses an empty batch', () => given([joined]).when(register()).thenThrows(refusals.KulturdagPupilsAreInvalid));
  });
});
