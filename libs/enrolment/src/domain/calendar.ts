// Dates that families see (deadlines, effective dates) are Norwegian calendar days, not UTC days.
const osloDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Oslo calendar date (YYYY-MM-DD) of an ISO instant. */
export const osloDate = (instant: string): string => osloDay.format(new Date(instant));

export const isDate = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

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
  const date = dateOrInstant.length > 10 ? osloDate(dateOrInstant) : dateOrInstant;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 8
    ? { schoolYear: `${year}-${year + 1}`, term: 'autumn' }
    : { schoolYear: `${year - 1}-${year}`, term: 'spring' };
};

export const schoolYearOf = (dateOrInstant: string): string => semesterOf(dateOrInstant).schoolYear;

export const nextSemester = ({ schoolYear, term }: Semester): Semester => {
  const start = firstYearOf(schoolYear);
  return term === 'autumn'
    ? { schoolYear, term: 'spring' }
    : { schoolYear: `${start + 1}-${start + 2}`, term: 'autumn' };
};
