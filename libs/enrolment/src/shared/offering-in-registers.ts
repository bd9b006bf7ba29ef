import { NotAsRegistered, NotInRegister, type Registers } from '#libs/municipality';
import type { OfferingDetails } from '../domain/index.js';

/**
 * An offering is taught at one of the tenant's centres, in that centre's district, in a subject of its catalogue with
 * the catalogue's GSI group and one of its forms, and not before the centre opened. Refused naming the field.
 */
export const assertOfferingInRegisters = (registers: Registers, details: OfferingDetails): void => {
  const { subject, subjectGroup, location, district, form, schoolYear } = details;
  if (!Object.hasOwn(registers.districts, district)) throw new NotInRegister('districts', district, 'district');
  const centre = Object.hasOwn(registers.centres, location) ? registers.centres[location] : undefined;
  if (!centre) throw new NotInRegister('centres', location, 'location');
  if (centre.district !== district)
    throw new NotAsRegistered('district', `${location} is a centre of ${centre.district}, not of ${district}`);
  // A school year ends before August of its second calendar year.
  if (centre.openedOn > `${schoolYear.slice(5, 9)}-07-31`)
    throw new NotAsRegistered('location', `${location} opened on ${centre.openedOn}, after school year ${schoolYear}`);
  const entry = Object.hasOwn(registers.subjects, subject) ? registers.subjects[subject] : undefined;
  if (!entry) throw new NotInRegister('subjects', subject, 'subject');
  if (entry.subjectGroup !== subjectGroup)
    throw new NotAsRegistered('subjectGroup', `${subject} is in the subject group ${entry.subjectGroup}`);
  if (!(entry.forms as readonly string[]).includes(form))
    throw new NotAsRegistered('form', `${subject} is taught as ${entry.forms.join(' or ')}`);
};
