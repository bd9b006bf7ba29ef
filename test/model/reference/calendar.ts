/** Calendar days as 'YYYY-MM-DD' strings (Oslo days); the model never needs a time of day. */

export const addDays = (day: string, days: number): string => {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

export const firstYear = (schoolYear: string): number => Number(schoolYear.slice(0, 4));

/** A school year runs 1 August to 31 July. */
export const schoolYearStart = (schoolYear: string): string => `${firstYear(schoolYear)}-08-01`;
export const schoolYearEnd = (schoolYear: string): string => `${firstYear(schoolYear) + 1}-07-31`;
export const schoolYearOn = (day: string): string => {
  const year = Number(day.slice(0, 4));
  return day.slice(5) >= '08-01' ? `${year}-${year + 1}` : `${year - 1}-${year}`;
};
export const nextSchoolYear = (schoolYear: string): string =>
  `${firstYear(schoolYear) + 1}-${firstYear(schoolYear) + 2}`;

export type Term = 'autumn' | 'spring';
export interface Semester {
  schoolYear: string;
  term: Term;
}
export const semestersOf = (schoolYear: string): Semester[] => [
  { schoolYear, term: 'autumn' },
  { schoolYear, term: 'spring' },
];
/** Autumn: August to December; spring: January to July. */
export const semesterStart = ({ schoolYear, term }: Semester): string =>
  term === 'autumn' ? `${firstYear(schoolYear)}-08-01` : `${firstYear(schoolYear) + 1}-01-01`;
export const semesterEnd = ({ schoolYear, term }: Semester): string =>
  term === 'autumn' ? `${firstYear(schoolYear)}-12-31` : `${firstYear(schoolYear) + 1}-07-31`;
/** Rule 7: notice by 10 August frees the autumn, by 10 December the spring. */
export const withdrawalDeadline = ({ schoolYear, term }: Semester): string =>
  term === 'autumn' ? `${firstYear(schoolYear)}-08-10` : `${firstYear(schoolYear)}-12-10`;
export const semesterKey = ({ schoolYear, term }: Semester): string => `${schoolYear}/${term}`;
