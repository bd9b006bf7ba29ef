import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { DomainError, fold } from '#libs/decider';
import { DeciderSpecification } from '#libs/testing';
import { TRONDHEIM_REGISTERS } from '../defaults/trondheim.js';
import type { ProposedEntry, RegisterCommand } from './registers.commands.js';
import { registersDecider } from './registers.decider.js';
import * as refusals from './registers.errors.js';
import type { RegisterEvent } from './registers.events.js';
import { emptyRegisters, isKnown, type RegisterName } from './registers.state.js';

const NOW = '2026-12-05T10:00:00.000Z';
const reason = 'Bystyret, sak 88/2026';
const given = DeciderSpecification.for(registersDecider(emptyRegisters()));
const givenTrondheim = DeciderSpecification.for(registersDecider(TRONDHEIM_REGISTERS));

const add = (register: RegisterName, key: string, entry: ProposedEntry, why = reason): RegisterCommand => ({
  type: 'AddRegisterEntry',
  data: { register, key, entryId: `id-${key}`, entry, reason: why },
  metadata: { now: NOW },
});
const change = (register: RegisterName, key: string, entry: ProposedEntry, why = reason): RegisterCommand => ({
  type: 'ChangeRegisterEntry',
  data: { register, key, entryId: `id-${key}`, entry, reason: why },
  metadata: { now: NOW },
});
const retire = (register: RegisterName, key: string, why = reason): RegisterCommand => ({
  type: 'RetireRegisterEntry',
  data: { register, key, entryId: `id-${key}`, reason: why },
  metadata: { now: NOW },
});
const added = (register: RegisterName, key: string, entry: object): RegisterEvent =>
  ({ type: 'RegisterEntryAdded', data: { register, key, entryId: `id-${key}`, entry } }) as RegisterEvent;

const mandal = added('districts', 'Mandal', { name: 'Mandal' });
const buen = added('centres', 'Buen', { name: 'Buen', district: 'Mandal', openedOn: '2012-01-14' });

describe('a municipality’s registers', () => {
  describe('with no defaults', () => {
    it('adds a district', () =>
      given([])
        .when(add('districts', 'Mandal', { name: 'Mandal' }))
        .then([mandal]));

    it('adds a centre of a district it has, with the day it opened', () =>
      given([mandal])
        .when(add('centres', 'Buen', { name: 'Buen', district: 'Mandal', openedOn: '2012-01-14' }))
        .then([buen]));

    it('refuses a centre in a district it does not have, naming the field', () =>
      given([])
        .when(add('centres', 'Buen', { name: 'Buen', district: 'Mandal', openedOn: '2012-01-14' }))
        .thenThrows(refusals.RegisterEntryIsInvalid, /"Mandal" is not in the districts register/));

    it('refuses a centre without a real opening day', () =>
      given([mandal])
        .when(add('centres', 'Buen', { name: 'Buen', district: 'Mandal', openedOn: '2012-02-30' }))
        .thenThrows(refusals.RegisterEntryIsInvalid, /openedOn/));

    it('refuses a subject outside the GSI groups or without a form', () => {
      given([])
        .when(add('subjects', 'Piano', { name: 'Piano', subjectGroup: 'instruments', forms: ['individual'] }))
        .thenThrows(refusals.RegisterEntryIsInvalid, /subjectGroup/);
      given([])
        .when(add('subjects', 'Piano', { name: 'Piano', subjectGroup: 'music', forms: [] }))
        .thenThrows(refusals.RegisterEntryIsInvalid, /forms/);
    });

    it('refuses a field the register does not have', () =>
      given([])
        .when(add('districts', 'Mandal', { name: 'Mandal', population: 15_000 }))
        .thenThrows(refusals.RegisterEntryIsInvalid, /population is not a field of the districts register/));

    it('refuses a change without a reason', () =>
      given([])
        .when(add('districts', 'Mandal', { name: 'Mandal' }, '  '))
        .thenThrows(refusals.RegisterChangeNeedsReason));
  });

  describe('with an entry', () => {
    it('refuses the same key again', () =>
      given([mandal])
        .when(add('districts', 'Mandal', { name: 'Mandal' }))
        .thenThrows(refusals.RegisterEntryExists));

    it('refuses a second entry of the same name under another key', () =>
      given([mandal])
        .when(add('districts', 'Mandal sentrum', { name: 'mandal' }))
        .thenThrows(refusals.RegisterEntryNameTaken));

    it('changes it, keeping what it was', () =>
      given([mandal, buen])
        .when(change('centres', 'Buen', { name: 'Buen kulturhus', district: 'Mandal', openedOn: '2012-01-14' }))
        .then([
          {
            type: 'RegisterEntryChanged',
            data: {
              register: 'centres',
              key: 'Buen',
              entryId: 'id-Buen',
              entry: { name: 'Buen kulturhus', district: 'Mandal', openedOn: '2012-01-14' },
              previous: { name: 'Buen', district: 'Mandal', openedOn: '2012-01-14' },
            },
          },
        ]));

    it('records nothing when the change changes nothing', () =>
      given([mandal])
        .when(change('districts', 'Mandal', { name: 'Mandal' }))
        .then([]));

    it('retires it with a reason', () =>
      given([mandal, buen])
        .when(retire('centres', 'Buen'))
        .then([{ type: 'RegisterEntryRetired', data: { register: 'centres', key: 'Buen', entryId: 'id-Buen' } }]));

    it('refuses to retire a district that still has a centre', () =>
      given([mandal, buen]).when(retire('districts', 'Mandal')).thenThrows(refusals.DistrictStillInUse, /Buen/));

    it('refuses to retire without a reason', () =>
      given([mandal])
        .when(retire('districts', 'Mandal', ''))
        .thenThrows(refusals.RegisterChangeNeedsReason));
  });

  describe('an unknown or retired entry', () => {
    it('cannot be changed', () =>
      given([])
        .when(change('districts', 'Mandal', { name: 'Mandal' }))
        .thenThrows(refusals.RegisterEntryNotFound));

    it('cannot be retired, nor retired twice', () =>
      given([
        mandal,
        { type: 'RegisterEntryRetired', data: { register: 'districts', key: 'Mandal', entryId: 'id-Mandal' } },
      ])
        .when(retire('districts', 'Mandal'))
        .thenThrows(refusals.RegisterEntryNotFound));
  });

  describe('Trondheim’s defaults', () => {
    it('start with Huseby (2021) and Klæbu (2020) among the centres', () => {
      assert.equal(TRONDHEIM_REGISTERS.centres.Huseby?.openedOn.slice(0, 4), '2021');
      assert.equal(TRONDHEIM_REGISTERS.centres.Klæbu?.openedOn.slice(0, 4), '2020');
    });

    it('can retire a default entry like any other', () =>
      givenTrondheim([])
        .when(retire('subjects', 'Joik'))
        .then([{ type: 'RegisterEntryRetired', data: { register: 'subjects', key: 'Joik', entryId: 'id-Joik' } }]));

    it('know a school by its key and by its name', () => {
      assert.ok(isKnown(TRONDHEIM_REGISTERS, 'schools', 'berg-skole'));
      assert.ok(isKnown(TRONDHEIM_REGISTERS, 'schools', 'Berg skole'));
      assert.ok(!isKnown(TRONDHEIM_REGISTERS, 'districts', 'Mandal'));
    });
  });

  it('never holds a centre or school in a district it does not have, whatever commands it is given', () => {
    const decider = registersDecider(emptyRegisters());
    const names = fc.constantFrom('A', 'B', 'C');
    const commands = fc.oneof(
      names.map((n) => add('districts', n, { name: n })),
      names.map((n) => retire('districts', n)),
      fc
        .tuple(names, names)
        .map(([n, d]) => add('centres', `c${n}`, { name: `c${n}`, district: d, openedOn: '2020-01-01' })),
      fc.tuple(names, names).map(([n, d]) => change('schools', `s${n}`, { name: `s${n}`, district: d })),
      fc.tuple(names, names).map(([n, d]) => add('schools', `s${n}`, { name: `s${n}`, district: d })),
      names.map((n) => retire('centres', `c${n}`)),
    );
    fc.assert(
      fc.property(fc.array(commands, { maxLength: 30 }), (sequence) => {
        let events: RegisterEvent[] = [];
        for (const command of sequence) {
          try {
            events = [...events, ...decider.decide(command, fold(decider, events))];
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        const registers = fold(decider, events);
        for (const entry of [...Object.values(registers.centres), ...Object.values(registers.schools)])
          assert.ok(Object.hasOwn(registers.districts, entry.district), JSON.stringify(registers));
      }),
    );
  });
});
