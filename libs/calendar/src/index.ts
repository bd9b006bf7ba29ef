/**
 * The kulturskole's calendar, shared by every context: Norwegian calendar days (what families and case workers see),
 * school years that start in August, and the two fee semesters. Pure; no clock.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Years 1970–9998: Oslo's offset is +1 or +2 throughout (the time-zone database gives it Berlin's rules, with +3 in
 * 1945 and 1947), and their ISO strings start with a four-digit year.
 */
const FAST_FROM = Date.UTC(1970, 0, 1);
const FAST_UNTIL = Date.UTC(9999, 0, 1);

const osloDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `YYYY-MM-DDTHH:MM[:SS[.fff]]Z`. */
const UTC_INSTANT =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?Z$/;
/** The two-digit number at `at` of a string the pattern above has checked (no match array, no Number()). */
const twoDigits = (text: string, at: number) => (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;

/** The Oslo calendar date (YYYY-MM-DD) of an instant; a plain date is returned as it is. */
export const osloDate = (instantOrDate: Date | string): string => {
  if (typeof instantOrDate === 'string') {
    if (DATE.test(instantOrDate)) return instantOrDate;
    // An instant as events store it (UTC, `Z`) before 22:00 is on the same day in Oslo, one or two hours ahead: read
    // from the text, no Date made. Days past the 28th go the long way, as before (Date's reading of a 30 February).
    if (
      UTC_INSTANT.test(instantOrDate) &&
      twoDigits(instantOrDate, 11) < 22 &&
      twoDigits(instantOrDate, 8) <= 28 &&
      instantOrDate >= '1970'
    )
      return instantOrDate.slice(0, 10);
  }
  const instant = new Date(instantOrDate);
  // Oslo is always one or two hours ahead of UTC: where both give the same day, that is the day, without the time-zone
  // formatter (the slow part of every projection's and rule's date). Only 22:00–24:00 UTC needs the zone's rules.
  const ms = instant.getTime();
  if (ms >= FAST_FROM && ms < FAST_UNTIL) {
    const one = new Date(ms + HOUR_MS).toISOString().slice(0, 10);
    if (one === new Date(ms + 2 * HOUR_MS).toISOString().slice(0, 10)) return one;
  }
  return osloDay.format(instant);
};

/** A real calendar day like 2026-02-28: false for 2025-02-30, 2026-13-01 or 2026-12-32 (never a RangeError). */
export const isDate = (value: string): boolean => {
  if (!DATE.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
};

export const isInstant = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));

/** Elapsed time, not calendar days: across a clock change it lands an hour off the wall clock (see answerDeadline). */
export const addDays = (instant: string, days: number): string =>
  new Date(Date.parse(instant) + days * DAY_MS).toISOString();

/** A calendar date (YYYY-MM-DD) some days later (earlier when negative); dates have no clock to change. */
export const addCalendarDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export const dayBefore = (date: string): string => addCalendarDays(date, -1);

const HOUR_MS = 60 * 60 * 1000;

/**
 * The instant an Oslo calendar day (YYYY-MM-DD) begins. Oslo is UTC+1 or UTC+2 and changes clocks at 01:00 UTC, never
 * at midnight, so the day begins at whichever of the two offsets gives an instant on that day.
 */
export const osloStartOf = (date: string): string => {
  if (!isDate(date)) throw new RangeError(`"${date}" is not a calendar date like 2025-10-31`);
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const summer = utcMidnight - 2 * HOUR_MS;
  return new Date(osloDate(new Date(summer)) === date ? summer : utcMidnight - HOUR_MS).toISOString();
};

/**
 * Rule 5: an answer is due within `days` Oslo calendar days after the day of the offer. Returns the first instant after
 * the deadline (Oslo midnight ending the last day), so an answer counts when it comes strictly before it.
 */
export const answerDeadline = (offeredAt: string, days: number): string => {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`An answer deadline needs whole days, not ${days}`);
  return osloStartOf(addCalendarDays(osloDate(offeredAt), days + 1));
};

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

export const previousSemester = ({ schoolYear, term }: Semester): Semester => {
  const start = firstYearOf(schoolYear);
  return term === 'spring' ? { schoolYear, term: 'autumn' } : { schoolYear: `${start - 1}-${start}`, term: 'spring' };
};

/** Negative when `a` comes before `b`, zero for the same semester: for sorting and for "up to" comparisons. */
export const compareSemesters = (a: Semester, b: Semester): number =>
  firstYearOf(a.schoolYear) - firstYearOf(b.schoolYear) || (a.term === b.term ? 0 : a.term === 'autumn' ? -1 : 1);

/**
 * Primary school (grunnskole, grades 1 to 10): a child starts grade 1 in the autumn of the year it turns 6, so in a
 * school year the grades hold the children who turn 6 to 15 in its first calendar year (as GSI and KOSTRA count).
 */
export const PRIMARY_SCHOOL_AGES = { from: 6, to: 15 } as const;

/** Whether a child born in `birthYear` is in grades 1 to 10 by age in a school year ("2025-2026": born 2010–2019). */
export const isPrimarySchoolAge = (birthYear: number, schoolYear: string): boolean => {
  const age = firstYearOf(schoolYear) - birthYear;
  return Number.isInteger(birthYear) && age >= PRIMARY_SCHOOL_AGES.from && age <= PRIMARY_SCHOOL_AGES.to;
};
