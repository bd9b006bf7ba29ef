// Dates people count by (enrolled on, left on) are Norwegian calendar days, not UTC days.
const osloDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Oslo calendar date (YYYY-MM-DD) of an ISO instant; a plain date is returned as it is. */
export const osloDate = (instantOrDate: string): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(instantOrDate) ? instantOrDate : osloDay.format(new Date(instantOrDate));

export const dayBefore = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
