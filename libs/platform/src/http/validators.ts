import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

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

/** Free text with no control characters: a NUL would otherwise reach the store and be refused there as a 500. */
export const NoControlCharacters = decorator(
  'noControlCharacters',
  hasNoControlCharacters,
  ({ property }) => `${property} must not contain control characters`,
);
