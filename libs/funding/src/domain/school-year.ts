import { InvalidSchoolYear } from './funding.errors.js';

/** "2025-2026": the Norwegian school year, 1 August to 31 July. */
export type SchoolYear = `${number}-${number}`;

export type Term = 'autumn' | 'spring';

export interface Semester {
  schoolYear: SchoolYear;
  term: Term;
}

const pattern = /^(\d{4})-(\d{4})$/;

export const parseSchoolYear = (value: string): SchoolYear => {
  const match = pattern.exec(value);
  if (!match) throw new InvalidSchoolYear(value);
  if (Number(match[2]) !== Number(match[1]) + 1) throw new InvalidSchoolYear(value);
  return value as SchoolYear;
};

export const firstCalendarYear = (schoolYear: SchoolYear): number => Number(schoolYear.slice(0, 4));

export const nextSchoolYear = (schoolYear: SchoolYear): SchoolYear => {
  const first = firstCalendarYear(schoolYear) + 1;
  return `${first}-${first + 1}`;
};

const isoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Autumn runs August–December of the first year, spring January–July of the second. */
export const semesterStart = ({ schoolYear, term }: Semester): string =>
  term === 'autumn' ? isoDate(firstCalendarYear(schoolYear), 8, 1) : isoDate(firstCalendarYear(schoolYear) + 1, 1, 1);

export const semesterEnd = ({ schoolYear, term }: Semester): string =>
  term === 'autumn'
    ? isoDate(firstCalendarYear(schoolYear), 12, 31)
    : isoDate(firstCalendarYear(schoolYear) + 1, 7, 31);

/** Deadlines are calendar days in the year the deadline falls (e.g. 10 Dec before spring). */
export interface DayOfYear {
  month: number;
  day: number;
}

// Both deadlines fall in the school year's first calendar year: 10 Aug for autumn, 10 Dec for spring.
export const withdrawalDeadline = ({ schoolYear, term }: Semester, deadlines: Record<Term, DayOfYear>): string => {
  const { month, day } = deadlines[term];
  return isoDate(firstCalendarYear(schoolYear), month, day);
};

// 1 August in Oslo is always summer time (UTC+2), so the instant is fixed without a time-zone database.
export const schoolYearEndsAt = (schoolYear: SchoolYear): Date =>
  new Date(`${isoDate(firstCalendarYear(schoolYear) + 1, 8, 1)}T00:00:00+02:00`);

export const semesterKey = ({ schoolYear, term }: Semester): string => `${schoolYear}/${term}`;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export const isIsoDate = (value: string): boolean =>
  datePattern.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
