import { InvalidQuery } from '#libs/query';
import type { StatisticsScope } from '../queries/scope.js';
import { osloDate } from '#libs/calendar';

const isRealDate = (value: string) =>
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** The school year (1 August – 31 July) a day falls in. */
export const schoolYearOf = (date: string): string => {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
};

/**
 * Fills in what was left out: the school year of the day, or the day as today kept within the school year (its last
 * day for a past year, its first for a coming one). A day outside the school year asked for is a 400.
 */
export const resolveScope = (
  query: { schoolYear?: string; date?: string } & Omit<Partial<StatisticsScope>, 'schoolYear' | 'date'>,
  now: Date,
): StatisticsScope => {
  if (query.date !== undefined && !isRealDate(query.date))
    throw new InvalidQuery(`${query.date} is not a date`, 'date');
  if (query.schoolYear !== undefined) {
    const [first, second] = query.schoolYear.split('-').map(Number);
    if (second !== (first ?? 0) + 1) throw new InvalidQuery(`${query.schoolYear} is not a school year`, 'schoolYear');
  }
  const schoolYear = query.schoolYear ?? schoolYearOf(query.date ?? osloDate(now.toISOString()));
  const start = `${schoolYear.slice(0, 4)}-08-01`;
  const end = `${schoolYear.slice(5, 9)}-07-31`;
  let date = query.date;
  if (date === undefined) {
    const today = osloDate(now.toISOString());
    date = today < start ? start : today > end ? end : today;
  } else if (date < start || date > end) {
    throw new InvalidQuery(`${date} is not in the school year ${schoolYear}`, 'date');
  }
  const { subjectGroup, programme, location, district, school } = query;
  return { schoolYear, date, subjectGroup, programme, location, district, school };
};
