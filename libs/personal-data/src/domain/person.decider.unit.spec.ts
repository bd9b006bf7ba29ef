import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import type { PersonCommand } from './person.commands.js';
import { personDecider } from './person.decider.js';
import * as refusals from './person.errors.js';
import type { PersonEvent } from './person.events.js';

const given = DeciderSpecification.for(personDecider);
const NOW = '2026-03-02T09:00:00.000Z';
const metadata = { now: NOW };
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

const person = { personId: A, birthDate: '2015-04-12', gender: 'female' as const, numberKind: 'd-number' as const };
const register: PersonCommand = { type: 'RegisterPerson', data: person, metadata };
const registered: PersonEvent = { type: 'PersonRegistered', data: { ...person, registeredAt: NOW } };
const replace = (previousKind: 'fodselsnummer' | 'd-number' | null, numberKind: 'fodselsnummer' | 'd-number') =>
  ({ type: 'ReplaceNationalId', data: { personId: A, previousKind, numberKind }, metadata }) as const;
const merge = (from: string, into: string, intoIsRetired = false): PersonCommand => ({
  type: 'MergeInto',
  data: { from, into, retiredIds: [from], intoIsRetired },
  metadata,
});
const merged = (from: string, into: string): PersonEvent => ({
  type: 'PersonMerged',
  data: { from, into, retiredIds: [from], mergedAt: NOW },
});

describe('person decider', () => {
  describe('a person not yet recorded', () => {
    it('is registered with its birth date, gender and kind of number', () =>
      given([]).when(register).then([registered]));

    it('may have its number replaced (a child the waitlist took in has no registration event)', () =>
      given([])
        .when(replace('d-number', 'fodselsnummer'))
        .then([
          {
            type: 'NationalIdReplaced',
            data: { personId: A, previousKind: 'd-number', numberKind: 'fodselsnummer', replacedAt: NOW },
          },
        ]));
  });

  describe('a registered person', () => {
    it('registers again as the same person, recording nothing (the same number is the same person)', () =>
      given([registered]).when(register).then([]));

    it('has its D-number replaced by a fødselsnummer', () =>
      given([registered])
        .when(replace('d-number', 'fodselsnummer'))
        .then([
          {
            type: 'NationalIdReplaced',
            data: { personId: A, previousKind: 'd-number', numberKind: 'fodselsnummer', replacedAt: NOW },
          },
        ]));

    it('never has a fødselsnummer replaced by a D-number', () =>
      given([registered])
        .when(replace('fodselsnummer', 'd-number'))
        .thenThrows(refusals.FodselsnummerIsNotReplacedByADNumber));

    it('is merged into another person, which keeps its id', () =>
      given([registered])
        .when(merge(A, B))
        .then([merged(A, B)]));

    it('is not merged into itself', () =>
      given([registered]).when(merge(A, A)).thenThrows(refusals.PersonCannotMergeIntoItself));

    it('is not merged into a person who was itself retired (no chains)', () =>
      given([registered])
        .when(merge(A, B, true))
        .thenThrows(refusals.PersonWasMerged));
  });

  describe('a person merged into another', () => {
    it('merges into the same survivor again as a no-op', () =>
      given([registered, merged(A, B)])
        .when(merge(A, B))
        .then([]));

    it('refuses a merge into a third person', () =>
      given([registered, merged(A, B)])
        .when(merge(A, C))
        .thenThrows(refusals.PersonWasMerged, /merged into bbbb/));

    it('refuses a registration and a new number: the survivor takes them', () => {
      given([registered, merged(A, B)])
        .when(register)
        .thenThrows(refusals.PersonWasMerged);
      given([registered, merged(A, B)])
        .when(replace('d-number', 'fodselsnummer'))
        .thenThrows(refusals.PersonWasMerged);
    });
  });
});
