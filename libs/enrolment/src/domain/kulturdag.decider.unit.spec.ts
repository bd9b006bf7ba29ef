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

    it('refuses a birth year outside primary school age', () =>
      given([joined])
        .when(register({ pupilId: 'pupil-1', birthYear: 2005 }))
        .thenThrows(refusals.KulturdagPupilsAreInvalid));

    it('refuses an empty batch', () => given([joined]).when(register()).thenThrows(refusals.KulturdagPupilsAreInvalid));
  });
});
