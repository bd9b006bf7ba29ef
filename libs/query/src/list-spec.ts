import type { SqlParams } from './sql-params.js';

export type ColumnType = 'text' | 'integer' | 'bigint' | 'numeric' | 'date' | 'timestamptz' | 'boolean';

export interface ListColumn {
  type: ColumnType;
  /** May be given as an equality filter (`?district=Heimdal`). */
  filter?: boolean;
  /** May be named in `sort`. */
  sort?: boolean;
}

/**
 * A table a read-model endpoint serves. `from` yields one row per item with a `tenant` column and the API's column
 * names (quoted camelCase); the toolkit wraps it, so the tenant filter, filters, sorting and paging are never left to
 * each endpoint. Only columns named here can be filtered or sorted on: the whitelist.
 */
export interface ListSpec {
  /** `tenant` is the placeholder of the caller's tenant: filter by it inside too, so PostgreSQL reads only its rows. */
  from: (params: SqlParams, tenant: string) => string;
  columns: Readonly<Record<string, ListColumn>>;
  /** Columns that make a row unique: the last sort keys, so paging is stable. */
  key: readonly string[];
  defaultSort: readonly SortTerm[];
}

export interface SortTerm {
  column: string;
  direction: 'asc' | 'desc';
}

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
