import { isDate } from '#libs/calendar';
import { assertNever, without, type Decider } from '#libs/decider';
import type { ProposedEntry, RegisterCommand } from './registers.commands.js';
import {
  DistrictStillInUse,
  RegisterChangeNeedsReason,
  RegisterEntryExists,
  RegisterEntryIsInvalid,
  RegisterEntryNameTaken,
  RegisterEntryNotFound,
} from './registers.errors.js';
import type { RegisterEvent } from './registers.events.js';
import {
  SUBJECT_GROUPS,
  TEACHING_FORMS,
  type CatalogueSubjectGroup,
  type CatalogueTeachingForm,
  type RegisterEntry,
  type RegisterName,
  type Registers,
} from './registers.state.js';

// A key is what requests carry (a district's name, a school's slug) and part of a URL: no '/', no control characters.
const KEY = /^[\p{L}\p{N}][\p{L}\p{N} .'_-]{0,79}$/u;
const FIELDS: Readonly<Record<RegisterName, readonly string[]>> = {
  districts: ['name'],
  centres: ['name', 'district', 'openedOn'],
  schools: ['name', 'district'],
  subjects: ['name', 'subjectGroup', 'forms'],
};

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 80 || /\p{Cc}/u.test(value))
    throw new RegisterEntryIsInvalid(field, `${field} must be 1–80 characters of text`);
  return value;
};

const districtOf = (registers: Registers, value: unknown): string => {
  const district = text(value, 'district');
  if (!Object.hasOwn(registers.districts, district))
    throw new RegisterEntryIsInvalid('district', `"${district}" is not in the districts register`);
  return district;
};

/** The proposed entry in the register's shape, every part given and every district one the tenant has. */
const entryOf = (registers: Registers, register: RegisterName, proposed: ProposedEntry): RegisterEntry => {
  const unknown = Object.keys(proposed).find((field) => !FIELDS[register].includes(field));
  if (unknown) throw new RegisterEntryIsInvalid(unknown, `${unknown} is not a field of the ${register} register`);
  const name = text(proposed.name, 'name');
  switch (register) {
    case 'districts':
      return { name };
    case 'centres': {
      const openedOn = proposed.openedOn;
      if (typeof openedOn !== 'string' || !isDate(openedOn))
        throw new RegisterEntryIsInvalid('openedOn', 'openedOn must be the day the centre opened, like 2021-08-16');
      return { name, district: districtOf(registers, proposed.district), openedOn };
    }
    case 'schools':
      return { name, district: districtOf(registers, proposed.district) };
    case 'subjects': {
      const { subjectGroup, forms } = proposed;
      if (!SUBJECT_GROUPS.includes(subjectGroup as CatalogueSubjectGroup))
        throw new RegisterEntryIsInvalid('subjectGroup', `subjectGroup must be one of ${SUBJECT_GROUPS.join(', ')}`);
      const valid =
        Array.isArray(forms) &&
        forms.length > 0 &&
        new Set(forms).size === forms.length &&
        forms.every((form) => TEACHING_FORMS.includes(form as CatalogueTeachingForm));
      if (!valid)
        throw new RegisterEntryIsInvalid('forms', `forms must list one or both of ${TEACHING_FORMS.join(', ')}`);
      return { name, subjectGroup: subjectGroup as CatalogueSubjectGroup, forms: forms as CatalogueTeachingForm[] };
    }
    default:
      return assertNever(register);
  }
};

const sameEntry = (a: RegisterEntry, b: RegisterEntry): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Two entries of one register may not share a name: a school named twice could not be told apart in a breakdown. */
const assertNameFree = (registers: Registers, register: RegisterName, key: string, entry: RegisterEntry) => {
  const other = Object.entries(registers[register]).find(
    ([k, e]) => k !== key && e.name.toLocaleLowerCase('nb') === entry.name.toLocaleLowerCase('nb'),
  );
  if (other) throw new RegisterEntryNameTaken(register, entry.name, other[0]);
};

const usersOf = (registers: Registers, district: string): string[] => [
  ...Object.keys(registers.centres).filter((k) => registers.centres[k]?.district === district),
  ...Object.keys(registers.schools).filter((k) => registers.schools[k]?.district === district),
];

/**
 * A tenant's registers: its districts, centres, schools and subject catalogue, from the deployment's defaults for the
 * tenant (empty when it has none) with the tenant's recorded changes on top. Every change gives its reason.
 */
export const registersDecider = (defaults: Registers): Decider<RegisterCommand, RegisterEvent, Registers> => ({
  initialState: defaults,
  decide(command, registers) {
    const { register, key, entryId, reason } = command.data;
    if (reason.trim() === '') throw new RegisterChangeNeedsReason();
    const current = registers[register][key];
    switch (command.type) {
      case 'AddRegisterEntry': {
        if (!KEY.test(key)) throw new RegisterEntryIsInvalid('key', "key must be 1–80 letters, digits, spaces or .'_-");
        if (current) throw new RegisterEntryExists(register, key);
        const entry = entryOf(registers, register, command.data.entry);
        assertNameFree(registers, register, key, entry);
        return [{ type: 'RegisterEntryAdded', data: { register, key, entryId, entry } }];
      }
      case 'ChangeRegisterEntry': {
        if (!current) throw new RegisterEntryNotFound(register, key);
        const entry = entryOf(registers, register, command.data.entry);
        assertNameFree(registers, register, key, entry);
        if (sameEntry(current, entry)) return [];
        return [{ type: 'RegisterEntryChanged', data: { register, key, entryId, entry, previous: current } }];
      }
      case 'RetireRegisterEntry': {
        if (!current) throw new RegisterEntryNotFound(register, key);
        const users = register === 'districts' ? usersOf(registers, key) : [];
        if (users.length > 0) throw new DistrictStillInUse(key, users);
        return [{ type: 'RegisterEntryRetired', data: { register, key, entryId } }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(registers, event) {
    const { register, key } = event.data;
    switch (event.type) {
      case 'RegisterEntryAdded':
      case 'RegisterEntryChanged':
        return { ...registers, [register]: { ...registers[register], [key]: event.data.entry } };
      case 'RegisterEntryRetired':
        return { ...registers, [register]: without<RegisterEntry>(registers[register], key) };
      default:
        return assertNever(event);
    }
  },
});
