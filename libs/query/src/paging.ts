import { InvalidQuery } from './query-errors.js';

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 500;
/** A CSV export is for taking a whole table away, so it may be longer than a page on screen. */
export const CSV_ROWS_MAX = 10_000;

export interface PagingInput {
  limit?: number;
  cursor?: string;
  page?: number;
  pageSize?: number;
}

/** Keyset paging (`limit`/`cursor`: stable while rows change) or numbered pages (`page`/`pageSize`: with a total). */
export type Paging =
  | { kind: 'keyset'; limit: number; cursor: CursorValues | undefined }
  | { kind: 'offset'; page: number; pageSize: number };

export interface CursorValues {
  /** The sort the cursor was made for; another sort makes it meaningless. */
  sort: string;
  values: unknown[];
}

export const encodeCursor = (cursor: CursorValues): string =>
  Buffer.from(JSON.stringify([cursor.sort, cursor.values]), 'utf8').toString('base64url');

export const decodeCursor = (text: string): CursorValues => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && Array.isArray(parsed[1])) {
      return { sort: parsed[0], values: parsed[1] as unknown[] };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidQuery('The cursor is not one this API gave out', 'cursor');
};

/** Picks the paging style; mixing them, or asking for more than the maximum, is a 400. */
export const pagingOf = (input: PagingInput, options: { csv?: boolean } = {}): Paging => {
  const max = options.csv ? CSV_ROWS_MAX : PAGE_SIZE_MAX;
  const fallback = options.csv ? CSV_ROWS_MAX : PAGE_SIZE_DEFAULT;
  const keyset = input.limit !== undefined || input.cursor !== undefined;
  const offset = input.page !== undefined || input.pageSize !== undefined;
  if (keyset && offset) throw new InvalidQuery('Use either limit/cursor or page/pageSize, not both');
  const size = (value: number | undefined, field: string) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new InvalidQuery(`${field} must be a whole number from 1 to ${max}`, field);
    return value;
  };
  if (offset) {
    const page = input.page ?? 1;
    if (!Number.isInteger(page) || page < 1) throw new InvalidQuery('page must be 1 or more', 'page');
    return { kind: 'offset', page, pageSize: size(input.pageSize, 'pageSize') };
  }
  return {
    kind: 'keyset',
    limit: size(input.limit, 'limit'),
    cursor: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
  };
};
