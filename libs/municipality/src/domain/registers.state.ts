/** The registers every municipality keeps: where it teaches, who it serves, and what. */
export const REGISTERS = ['districts', 'centres', 'schools', 'subjects'] as const;
export type RegisterName = (typeof REGISTERS)[number];

/** The GSI's subject groups (national reporting), which every subject of a catalogue belongs to. */
export const SUBJECT_GROUPS = ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] as const;
export type CatalogueSubjectGroup = (typeof SUBJECT_GROUPS)[number];
export const TEACHING_FORMS = ['individual', 'group'] as const;
export type CatalogueTeachingForm = (typeof TEACHING_FORMS)[number];

/** A district (bydel); requests name it by its key, which is its name. */
export interface DistrictEntry {
  readonly name: string;
}

/** A centre (kulturskolesenter), where offerings are taught; `openedOn` is the day it first taught. */
export interface CentreEntry {
  readonly name: string;
  readonly district: string;
  readonly openedOn: string;
}

/** A primary school (Kulturdag, and the school a child attends), keyed by a slug like `berg-skole`. */
export interface SchoolEntry {
  readonly name: string;
  readonly district: string;
}

/** A subject of the catalogue, its GSI group and the forms it is taught in. */
export interface SubjectEntry {
  readonly name: string;
  readonly subjectGroup: CatalogueSubjectGroup;
  readonly forms: readonly CatalogueTeachingForm[];
}

export interface RegisterEntryOf {
  districts: DistrictEntry;
  centres: CentreEntry;
  schools: SchoolEntry;
  subjects: SubjectEntry;
}
export type RegisterEntry = RegisterEntryOf[RegisterName];

/** A tenant's registers in force: the entries by key, retired ones left out. */
export type Registers = { readonly [R in RegisterName]: Readonly<Record<string, RegisterEntryOf[R]>> };

export const emptyRegisters = (): Registers => ({ districts: {}, centres: {}, schools: {}, subjects: {} });

export const isRegisterName = (name: string): name is RegisterName => (REGISTERS as readonly string[]).includes(name);

/** Whether a value a request carries names an entry: by key, and a school also by its name ("Berg skole"). */
export const isKnown = (registers: Registers, register: RegisterName, value: string): boolean =>
  Object.hasOwn(registers[register], value) ||
  (register === 'schools' && Object.values(registers.schools).some((school) => school.name === value));

/** The district names in register order: every breakdown by district lists these, and only these. */
export const districtNames = (registers: Registers): string[] => Object.keys(registers.districts);
