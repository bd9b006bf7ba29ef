import type { RecordedEvent } from '#libs/event-store';

/** A value a read-model column takes; json/jsonb columns take objects and arrays. */
export type ColumnValue =
  string | number | boolean | null | bigint | Date | { readonly [key: string]: unknown } | readonly unknown[];
export type Row = Readonly<Record<string, ColumnValue>>;
export type Increments = Readonly<Record<string, number>>;

/**
 * One read-model table. Every table also gets a leading `tenant` column, filled from the event's metadata and part of
 * the primary key, so a handler never writes one tenant's rows from another's events.
 */
export interface ProjectionTable {
  /** The stable name queries use (a view over the live table set). */
  name: string;
  /** Column name to SQL type, e.g. `{ capacity: 'integer' }`; keys are NOT NULL through the primary key. */
  columns: Readonly<Record<string, string>>;
  /** Primary key columns besides `tenant`. */
  key: readonly string[];
  /** Extra indexes, each a list of columns (`tenant` is put first). */
  indexes?: readonly (readonly string[])[];
}

/**
 * What a handler asks for; the runner merges them per row and writes each batch in a few set-based statements.
 * `upsert` inserts or overwrites the given columns; `update` changes an existing row and is a no-op when there is none;
 * `add` increments counters (a missing or null counter counts as 0).
 */
export type RowChange =
  | { kind: 'upsert'; table: string; key: Row; set: Row; add: Increments }
  | { kind: 'update'; table: string; key: Row; set: Row; add: Increments }
  | { kind: 'delete'; table: string; key: Row };

export const rows = {
  upsert: (table: string, key: Row, set: Row = {}, add: Increments = {}): RowChange => ({
    kind: 'upsert',
    table,
    key,
    set,
    add,
  }),
  /** Upsert that only counts: the row is created with the increments as its counters. */
  increment: (table: string, key: Row, add: Increments): RowChange => ({ kind: 'upsert', table, key, set: {}, add }),
  update: (table: string, key: Row, set: Row = {}, add: Increments = {}): RowChange => ({
    kind: 'update',
    table,
    key,
    set,
    add,
  }),
  delete: (table: string, key: Row): RowChange => ({ kind: 'delete', table, key }),
};

/** A read model: a pure function from events to row changes, plus a name and a version (bump it to rebuild). */
export interface Projection {
  name: string;
  version: number;
  /** The runner reads only these types from `$all`; the handler never sees others. `all`: every event (an index). */
  eventTypes: readonly string[] | 'all';
  tables: readonly ProjectionTable[];
  /** Pure: no clock, no I/O. A throw stops the projection at this event (see the runner). */
  handle(event: RecordedEvent): readonly RowChange[];
}

// Names end up in SQL identifiers and stream ids, so they are kept to a safe alphabet.
const IDENTIFIER = /^[a-z][a-z0-9_]{0,39}$/;
const SQL_TYPE = /^[a-z][a-z0-9_ ]*(\(\d+(, ?\d+)?\))?(\[\])?$/;

export class InvalidProjectionError extends Error {
  constructor(projection: string, problem: string) {
    super(`Projection ${projection}: ${problem}`);
    this.name = 'InvalidProjectionError';
  }
}

export const assertIdentifier = (what: string, name: string): void => {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} "${name}" must match ${IDENTIFIER.source}`);
};

/** The types to ask `$all` for, or null for every type. */
export const eventTypesOf = (projection: Pick<Projection, 'eventTypes'>): readonly string[] | null =>
  projection.eventTypes === 'all' ? null : projection.eventTypes;

/** Fails fast on a definition the runner could not turn into safe SQL. */
export const validateProjection = (projection: Projection): void => {
  const fail = (problem: string) => {
    throw new InvalidProjectionError(projection.name, problem);
  };
  if (!IDENTIFIER.test(projection.name)) fail(`name must match ${IDENTIFIER.source}`);
  if (!Number.isInteger(projection.version) || projection.version < 1) fail('version must be a positive integer');
  if (projection.eventTypes !== 'all' && projection.eventTypes.length === 0) fail('handles no event types');
  if (projection.tables.length === 0) fail('has no tables');
  for (const table of projection.tables) {
    if (!IDENTIFIER.test(table.name)) fail(`table name "${table.name}" must match ${IDENTIFIER.source}`);
    for (const [column, type] of Object.entries(table.columns)) {
      if (!IDENTIFIER.test(column) || column === 'tenant') fail(`column "${table.name}.${column}" is not allowed`);
      if (!SQL_TYPE.test(type)) fail(`column "${table.name}.${column}" has an unsupported type "${type}"`);
    }
    if (table.key.length === 0) fail(`table "${table.name}" has no key`);
    for (const column of [...table.key, ...(table.indexes ?? []).flat()]) {
      if (!(column in table.columns)) fail(`table "${table.name}" names unknown column "${column}"`);
    }
  }
};
