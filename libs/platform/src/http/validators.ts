import { registerDecorator, ValidateIf, type ValidationArguments, type ValidationOptions } from 'class-validator';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a day that exists (YYYY-MM-DD): 2024-02-29 is, 2025-02-30, 2026-13-01 and 2026-12-32 are not. */
export const isCalendarDate = (value: unknown): value is string => {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2025-02-30 over to 2 March; a real day reads back unchanged.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;
/** The first years of the school years the platform takes: the register holds nothing older, plans nothing later. */
export const SCHOOL_YEARS = { first: 2000, last: 2099 } as const;

/** Whether `value` is a plausible school year: two consecutive years (2025-2026), starting 2000–2099. */
export const isPlausibleSchoolYear = (value: unknown): value is string => {
  const match = typeof value === 'string' ? SCHOOL_YEAR.exec(value) : null;
  if (!match) return false;
  const [first, second] = [Number(match[1]), Number(match[2])];
  return second === first + 1 && first >= SCHOOL_YEARS.first && first <= SCHOOL_YEARS.last;
};

// Unicode's control characters (Cc: NUL, tab, line breaks, DEL, C1): PostgreSQL refuses NUL in text and jsonb, and
// the rest is never meant in a name or a place and only hides what a case worker reads.
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Whether `value` is a string without control characters (NUL, tab, line breaks, DEL, C1). */
export const hasNoControlCharacters = (value: unknown): value is string =>
  typeof value === 'string' && !CONTROL_CHARACTER.test(value);

const decorator =
  (name: string, test: (value: unknown) => boolean, message: (args: ValidationArguments) => string) =>
  (options?: ValidationOptions): PropertyDecorator =>
  (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate: test },
    });

/** A calendar day that exists, as YYYY-MM-DD; refused at the edge so no command meets 2025-02-30. */
export const IsCalendarDate = decorator(
  'isCalendarDate',
  isCalendarDate,
  ({ property }) => `${property} must be a real calendar date like 2025-08-10`,
);

/** A school year such as 2025-2026 (two consecutive years, 2000–2100), in a body, a path or a query. */
export const IsSchoolYear = decorator(
  'isSchoolYear',
  isPlausibleSchoolYear,
  ({ property }) =>
    `${property} must look like 2025-2026: two consecutive years, from ${SCHOOL_YEARS.first}-${SCHOOL_YEARS.first + 1} to ${SCHOOL_YEARS.last}-${SCHOOL_YEARS.last + 1}`,
);

/** Free text with no control characters: a NUL would otherwise reach the store and be refused there as a 500. */
export const NoControlCharacters = decorator(
  'noControlCharacters',
  hasNoControlCharacters,
  ({ property }) => `${property} must not contain control characters`,
);

/**
 * A body field that may be left out, but is not `null` when sent: class-validator's `IsOptional` skips `null` too, so
 * a `"phone": null` would pass every check and reach the command (the published schema has no nullable field).
 */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
