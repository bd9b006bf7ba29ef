import type { Registers } from '../domain/registers.state.js';

const both = ['individual', 'group'] as const;

/**
 * Lindesnes' registers as the deployment starts them: the municipality of 2020 (Mandal, Lindesnes and Marnardal
 * merged), a smaller school with a centre in each former municipality. Nothing here is Trondheim's.
 */
export const LINDESNES_REGISTERS: Registers = {
  districts: {
    Mandal: { name: 'Mandal' },
    Vigeland: { name: 'Vigeland' },
    Marnardal: { name: 'Marnardal' },
  },
  centres: {
    Buen: { name: 'Buen', district: 'Mandal', openedOn: '2012-01-14' },
    Vigeland: { name: 'Vigeland', district: 'Vigeland', openedOn: '2020-01-01' },
    Øyslebø: { name: 'Øyslebø', district: 'Marnardal', openedOn: '2020-01-01' },
  },
  schools: {
    'frivoll-skole': { name: 'Frivoll skole', district: 'Mandal' },
    'buraasen-skole': { name: 'Buråsen skole', district: 'Mandal' },
    'vigeland-skole': { name: 'Vigeland skole', district: 'Vigeland' },
    'spangereid-skole': { name: 'Spangereid skole', district: 'Vigeland' },
    'marnardal-skole': { name: 'Marnardal skole', district: 'Marnardal' },
  },
  subjects: {
    Piano: { name: 'Piano', subjectGroup: 'music', forms: both },
    Gitar: { name: 'Gitar', subjectGroup: 'music', forms: both },
    Trekkspill: { name: 'Trekkspill', subjectGroup: 'music', forms: ['individual'] },
    Sang: { name: 'Sang', subjectGroup: 'music', forms: both },
    'Visuell kunst': { name: 'Visuell kunst', subjectGroup: 'visual-arts', forms: ['group'] },
    Dans: { name: 'Dans', subjectGroup: 'dance', forms: ['group'] },
    Teater: { name: 'Teater', subjectGroup: 'theatre', forms: ['group'] },
  },
};
