// Fee dates (start, notice) are Norwegian calendar days, as the enrolment context records them.
const osloDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Oslo calendar date (YYYY-MM-DD) of an instant. */
export const osloDate = (instant: Date | string): string => osloDay.format(new Date(instant));
