import type { Registers, SubjectEntry } from '../domain/registers.state.js';

const school = (name: string, district: string) => ({ name: `${name} skole`, district });
const both = ['individual', 'group'] as const;
const subject = (name: string, subjectGroup: SubjectEntry['subjectGroup'], forms: SubjectEntry['forms'] = both) => ({
  name,
  subjectGroup,
  forms,
});

/**
 * Trondheim's registers as the deployment starts them (the domain brief: districts, and centres with the day they
 * opened; Klæbu joined in the 2020 merger, Huseby opened in 2021). The admin changes them with a reason.
 */
export const TRONDHEIM_REGISTERS: Registers = {
  districts: {
    Midtbyen: { name: 'Midtbyen' },
    Østbyen: { name: 'Østbyen' },
    Lerkendal: { name: 'Lerkendal' },
    Heimdal: { name: 'Heimdal' },
    Klæbu: { name: 'Klæbu' },
  },
  centres: {
    Byåsen: { name: 'Byåsen', district: 'Lerkendal', openedOn: '2008-08-18' },
    Ranheim: { name: 'Ranheim', district: 'Østbyen', openedOn: '2010-08-16' },
    Huseby: { name: 'Huseby', district: 'Heimdal', openedOn: '2021-08-16' },
    Spongdal: { name: 'Spongdal', district: 'Heimdal', openedOn: '2012-08-20' },
    Klæbu: { name: 'Klæbu', district: 'Klæbu', openedOn: '2020-01-01' },
    Midtbyen: { name: 'Midtbyen', district: 'Midtbyen', openedOn: '2000-08-21' },
  },
  // The Kulturdag pilot schools and the schools the children of the centres attend, keyed by slug.
  schools: {
    'berg-skole': school('Berg', 'Lerkendal'),
    'eberg-skole': school('Eberg', 'Lerkendal'),
    'lademoen-skole': school('Lademoen', 'Østbyen'),
    'rosenborg-skole': school('Rosenborg', 'Midtbyen'),
    'singsaker-skole': school('Singsaker', 'Midtbyen'),
    'asvang-skole': school('Åsvang', 'Østbyen'),
    'charlottenlund-skole': school('Charlottenlund', 'Østbyen'),
    'ranheim-skole': school('Ranheim', 'Østbyen'),
    'huseby-skole': school('Huseby', 'Heimdal'),
    'kattem-skole': school('Kattem', 'Heimdal'),
    'hallset-skole': school('Hallset', 'Lerkendal'),
    'sjetne-skole': school('Sjetne', 'Lerkendal'),
    'tiller-skole': school('Tiller', 'Heimdal'),
    'klaebu-skole': school('Klæbu', 'Klæbu'),
    'byasen-skole': school('Byåsen', 'Lerkendal'),
    'nardo-skole': school('Nardo', 'Lerkendal'),
  },
  subjects: {
    Piano: subject('Piano', 'music'),
    Gitar: subject('Gitar', 'music'),
    Fiolin: subject('Fiolin', 'music'),
    Cello: subject('Cello', 'music'),
    Bratsj: subject('Bratsj', 'music'),
    Harpe: subject('Harpe', 'music'),
    Orgel: subject('Orgel', 'music'),
    Fløyte: subject('Fløyte', 'music'),
    Obo: subject('Obo', 'music'),
    Klarinett: subject('Klarinett', 'music'),
    Trompet: subject('Trompet', 'music'),
    Sang: subject('Sang', 'music'),
    Trommer: subject('Trommer', 'music'),
    Korps: subject('Korps', 'music', ['group']),
    'Talentprogram fiolin': subject('Talentprogram fiolin', 'music'),
    'Visuell kunst': subject('Visuell kunst', 'visual-arts'),
    Teater: subject('Teater', 'theatre'),
    Dans: subject('Dans', 'dance'),
    Joik: subject('Joik', 'sami'),
    Film: subject('Film', 'other'),
    Sirkus: subject('Sirkus', 'other'),
  },
};
