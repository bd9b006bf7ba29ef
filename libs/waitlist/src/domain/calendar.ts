const DAY_MS = 24 * 60 * 60 * 1000;

// Dates that families see (application day, deadlines) are Norwegian calendar days, not UTC days.
const osloDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Oslo calendar date (YYYY-MM-DD) of an ISO instant. */
export const osloDate = (instant: string): string => osloDay.format(new Date(instant));

export const addDays = (instant: string, days: number): string =>
  new Date(Date.parse(instant) + days * DAY_MS).toISOString();

export const isInstant = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));

/** "2025-2026": a school year runs from August; January to July belong to the year that began the August before. */
export const schoolYearOf = (instant: string): string => {
  const [year, month] = osloDate(instant).split('-').map(Number);
  const start = (month ?? 1) >= 8 ? (year ?? 0) : (year ?? 0) - 1;
  return `${start}-${start + 1}`;
};

export const isSchoolYear = (value: string): boolean => {
  const match = /^(\d{4})-(\d{4})$/.exec(value);
  return match !== null && Number(match[2]) === Number(match[1]) + 1;
};

export const firstYearOf = (schoolYear: string): number => Number(schoolYear.slice(0, 4));
