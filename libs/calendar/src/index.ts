/**
 * The kulturskole's calendar, shared by every context: Norwegian calendar days (what families and case workers see),
 * school years that start in August, and the two fee semesters. Pure; no clock.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

const osloDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The Oslo calendar date (YYYY-MM-DD) of an instant; a plain date is returned as it is. */
export const osloDate = (instantOrDate: Date | string): string =>
  typeof instantOrDate === 'string' && DATE.test(instantOrDate)
    ? instantOrDate
    : osloDay.format(new Date(instantOrDate));

/** A real calendar day like 2026-02-28: false for 2025-02-30, 2026-13-01 or 2026-12-32 (never a RangeError). */
export const isDate = (value: string): boolean => {
  if (!DATE.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
};

export const isInstant = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));

export const addDays = (instant: string, days: number): string =>
  new Date(Date.parse(instant) + days * DAY_MS).toISOString();

export const dayBefore = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** "2025-2026": two consecutive years. */
export const isSchoolYear = (value: string): boolean => {
  const match = /^(\d{4})-(\d{4})$/.exec(value);
  return match !== null && Number(match[2]) === Number(match[1]) + 1;
};

export const firstYearOf = (schoolYear: string): number => Number(schoolYear.slice(0, 4));

export type Term = 'autumn' | 'spring';

/** A fee period: autumn is August to December, spring January to July (the summer closes the school year). */
export interface Semester {
  readonly schoolYear: string;
  readonly term: Term;
}

/** The semester of a calendar date (YYYY-MM-DD) or an instant (read in Oslo time). */
export const semesterOf = (dateOrInstant: string): Semester => {
  const date = osloDate(dateOrInstant);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 8
    ? { schoolYear: `${year}-${year + 1}`, term: 'autumn' }
    : { schoolYear: `${year - 1}-${year}`, term: 'spring' };
};

/** The school year a date or instant falls in: January to July belong to the year that began the August before. */
export const schoolYearOf = (dateOrInstant: string): string => semesterOf(dateOrInstant).schoolYear;

export const nextSemester = ({ schoolYear, term }: Semester): Semester => {
  const start = firstYearOf(schoolYear);
  return term === 'autumn'
    ? { schoolYear, term: 'spring' }
    : { schoolYear: `${start + 1}-${start + 2}`, term: 'autumn' };
};
