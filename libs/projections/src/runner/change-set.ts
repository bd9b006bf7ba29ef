import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from '#libs/database';
import type { ColumnValue, Projection, ProjectionTable, RowChange } from '../projection.js';
import type { TableSet } from './table-set.js';
import type { WrittenKeys } from './written-keys.js';

export interface PendingRow {
  /** `insert`: an upsert of a row the build has certainly not written (written-keys.ts), so no conflict to check. */
  kind: 'insert' | 'upsert' | 'update' | 'delete';
  key: Record<string, ColumnValue>;
  set: Record<string, ColumnValue>;
  add: Record<string, number>;
}

export interface PreparedRow {
  table: string;
  id: string;
  row: PendingRow;
}

/** A handler asked for something the table definition does not allow: a bug in the projection, so a poison event. */
export class RowChangeError extends Error {
  override name = 'RowChangeError';
}

/**
 * The row changes of a batch, merged per row so the whole batch is written with one set-based statement per table,
 * kind and column set. Per row at most two steps remain (e.g. delete then insert), written in two rounds.
 */
export class ChangeSet {
  private readonly rowsByTable = new Map<string, Map<string, PendingRow[]>>();
  private readonly tables: ReadonlyMap<string, ProjectionTable>;
  size = 0;
  /** Whether some row is an `insert` (then `write` sends those rows with COPY). */
  hasNewRows = false;

  /** With `written`, the keys the build has written so far: upserts of other keys become inserts. */
  constructor(
    projection: Pick<Projection, 'tables'>,
    readonly written?: WrittenKeys,
  ) {
    this.tables = new Map(projection.tables.map((table) => [table.name, table]));
  }

  /** Checks a change against the table definition without recording it, so an event is taken whole or not at all. */
  prepare(tenant: string, change: RowChange): PreparedRow {
    const table = this.tables.get(change.table);
    if (!table) throw new RowChangeError(`unknown table "${change.table}"`);
    const key = checkedKey(table, tenant, change.key);
    const row: PendingRow =
      change.kind === 'delete'
        ? { kind: 'delete', key, set: {}, add: {} }
        : { kind: change.kind, key, set: checkedSet(table, change.set), add: checkedAdd(table, change.add) };
    for (const column in row.add) {
      if (column in row.set) throw new RowChangeError(`"${table.name}.${column}" is both set and incremented`);
    }
    return { table: table.name, id: rowId(table, key), row };
  }

  addPrepared({ table, id, row: next }: PreparedRow): void {
    let byKey = this.rowsByTable.get(table);
    if (!byKey) this.rowsByTable.set(table, (byKey = new Map()));
    this.size++;
    const steps = byKey.get(id);
    if (!steps) {
      if (this.written?.writes(table, id) === false && next.kind === 'upsert') {
        next.kind = 'insert';
        this.hasNewRows = true;
      }
      return void byKey.set(id, [next]);
    }
    const last = steps[steps.length - 1];
    if (next.kind === 'delete') return void byKey.set(id, [next]); // whatever came before, the row ends up gone
    if (!last || last.kind === 'delete') {
      if (next.kind === 'upsert') steps.push(next); // an update of a deleted row changes nothing
      return;
    }
    if (last.kind === 'update' && next.kind === 'upsert') {
      // An upsert that sets every column the update touched leaves no trace of it, whether the row was there or not.
      if (overwrites(next, last)) return void steps.splice(steps.length - 1, 1, next);
      return void steps.push(next);
    }
    merge(last, next);
  }

  /**
   * Everything a transaction sends for this batch, worked out beforehand: the transaction then holds its id (and with
   * it every reader's safe horizon, ADR 0002) only while PostgreSQL works, not while this process builds text.
   */
  plan(set: TableSet): WritePlan {
    return {
      copies: this.copies(set),
      rounds: [0, 1].map((round) => this.statements(set, round, undefined, { inserts: false })),
    };
  }

  /** Writes the batch on a client in a transaction: new rows with COPY, the rest set-based, in two rounds. */
  async write(client: PoolClient, set: TableSet, plan = this.plan(set)): Promise<void> {
    for (const copy of plan.copies) await pipeline(Readable.from([copy.text]), client.query(copyFrom(copy.sql)));
    for (const round of plan.rounds) {
      for (const statement of round) await client.query(statement.sql(), statement.params);
    }
  }

  /**
   * The `insert` rows as COPY text, one per table, every column listed (a column the row does not set is NULL, as an
   * upsert inserting it would leave it). Inserts are always a row's first step, so they belong to the first round.
   */
  copies(set: TableSet): { sql: string; text: string }[] {
    const copies: { sql: string; text: string }[] = [];
    for (const [tableName, byKey] of this.rowsByTable) {
      const table = this.tables.get(tableName);
      if (!table) continue;
      const columns = copyColumnsOf(table);
      let text = '';
      for (const steps of byKey.values()) {
        const row = steps[0];
        if (row?.kind !== 'insert') continue;
        // Plain concatenation: no array per row (this runs for every new row of a rebuild).
        for (let n = 0; n < columns.length; n++) {
          const { name, json } = columns[n] as CopyColumn;
          text += (n === 0 ? '' : '\t') + copyField(valueOf(row, name), json);
        }
        text += '\n';
      }
      if (text === '') continue;
      const list = columns.map((column) => quote(column.name)).join(', ');
      copies.push({ sql: `COPY ${set.table(table.name)} (${list}) FROM STDIN`, text });
    }
    return copies;
  }

  /** Whether each row has one step only (no delete then insert): then the whole batch fits one statement. */
  get oneRound(): boolean {
    for (const byKey of this.rowsByTable.values()) {
      for (const steps of byKey.values()) if (steps.length > 1) return false;
    }
    return true;
  }

  /**
   * The set-based statements of one round: one per table, kind and column set. Each is numbered from $1, or, given
   * `firstParam`, from there on, each after the one before, so they can be joined into one statement.
   */
  statements(set: TableSet, round: number, firstParam?: number, { inserts = true } = {}): RowStatement[] {
    const statements: RowStatement[] = [];
    let next = firstParam ?? 1;
    for (const [tableName, byKey] of this.rowsByTable) {
      const table = this.tables.get(tableName);
      if (!table) continue;
      const groups = new Map<string, PendingRow[]>();
      for (const steps of byKey.values()) {
        const step = steps[round];
        if (!step || (step.kind === 'insert' && !inserts)) continue;
        const signature = `${step.kind}|${Object.keys(step.set).sort().join(',')}|${Object.keys(step.add).sort().join(',')}`;
        const group = groups.get(signature);
        if (group) group.push(step);
        else groups.set(signature, [step]);
      }
      for (const group of groups.values()) {
        const statement = groupStatement(set.table(table.name), table, group, next);
        if (!statement) continue;
        statements.push(statement);
        if (firstParam !== undefined) next += statement.params.length;
      }
    }
    return statements;
  }
}

export interface WritePlan {
  /** New rows, one COPY per table. */
  copies: { sql: string; text: string }[];
  /** The other row changes, first round then second. */
  rounds: RowStatement[][];
}

/** One set-based row change: a DELETE, UPDATE or INSERT … ON CONFLICT over `unnest` of one array per column. */
export interface RowStatement {
  /** Where the statement takes a condition of its own (`AND …`): after its match (delete, update) or its source. */
  sql: (condition?: string) => string;
  params: unknown[];
}

const overwrites = (upsert: PendingRow, update: PendingRow): boolean => {
  for (const column in update.set) if (!(column in upsert.set)) return false;
  for (const column in update.add) if (!(column in upsert.set)) return false;
  return true;
};

const merge = (into: PendingRow, next: PendingRow): void => {
  for (const [column, value] of Object.entries(next.set)) {
    into.set[column] = value;
    delete into.add[column];
  }
  for (const [column, by] of Object.entries(next.add)) {
    const current = into.set[column];
    if (column in into.set) {
      if (current !== null && typeof current !== 'number') throw new RowChangeError(`"${column}" is not a number`);
      into.set[column] = (current ?? 0) + by;
    } else into.add[column] = (into.add[column] ?? 0) + by;
  }
};

const checkedKey = (table: ProjectionTable, tenant: string, key: Readonly<Record<string, ColumnValue>>) => {
  const result: Record<string, ColumnValue> = { tenant };
  for (const column of table.key) {
    const value = key[column];
    if (value === undefined || value === null) throw new RowChangeError(`key "${table.name}.${column}" is missing`);
    result[column] = value;
  }
  for (const column of Object.keys(key)) {
    if (!table.key.includes(column)) throw new RowChangeError(`"${table.name}.${column}" is not a key column`);
  }
  return result;
};

/** Throws unless `column` names a column of the table that is not part of its key. */
const checkValueColumn = (table: ProjectionTable, column: string): void => {
  if (!(column in table.columns) || table.key.includes(column))
    throw new RowChangeError(`"${table.name}.${column}" is not a value column`);
};

// Plain loops: these run for every row change of every rebuild.
const checkedSet = (table: ProjectionTable, values: Readonly<Record<string, ColumnValue>>) => {
  const result: Record<string, ColumnValue> = {};
  for (const column in values) {
    checkValueColumn(table, column);
    const value = values[column];
    // Caught here, with the event that asked for it, rather than when the batch's statements are built.
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !isJson(table.columns[column] ?? ''))
      throw new RowChangeError(`"${table.name}.${column}" takes no objects (use jsonb)`);
    if (value !== undefined) result[column] = value;
  }
  return result;
};

const checkedAdd = (table: ProjectionTable, increments: Readonly<Record<string, number>>) => {
  const result: Record<string, number> = {};
  for (const column in increments) {
    checkValueColumn(table, column);
    const by = increments[column] as number;
    if (!Number.isFinite(by)) throw new RowChangeError(`increment of "${table.name}.${column}" is not a number`);
    result[column] = by;
  }
  return result;
};

const isJson = (type: string) => type === 'json' || type === 'jsonb';

/** What a row change gives a column: a set value, an increment (a new row's counter starts there) or a key part. */
const valueOf = (row: PendingRow, column: string): ColumnValue =>
  (column in row.set ? row.set[column] : column in row.add ? row.add[column] : row.key[column]) ?? null;

/** One field of COPY's text format, as toParameter would give it: NULL as \N, and the four characters it escapes. */
const copyField = (value: ColumnValue, json: boolean): string => {
  if (value === null) return '\\N';
  if (json) return copyEscaped(JSON.stringify(value));
  switch (typeof value) {
    case 'string':
      return copyEscaped(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      throw new RowChangeError('an object for a column that is not jsonb');
  }
};
const copyEscaped = (text: string): string =>
  COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c] ?? c) : text;
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Array parameters for `unnest`: one array per column, values in the shape node-postgres serialises safely. */
const toParameter = (table: ProjectionTable, column: string, value: ColumnValue): unknown => {
  if (value === null) return null;
  const type = column === 'tenant' ? 'text' : (table.columns[column] ?? 'text');
  if (isJson(type)) return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') throw new RowChangeError(`"${table.name}.${column}" takes no objects (use jsonb)`);
  return value;
};

const quote = (identifier: string) => `"${identifier}"`;

interface CopyColumn {
  name: string;
  json: boolean;
}
const copyColumns = new WeakMap<ProjectionTable, readonly CopyColumn[]>();
/** Every column of a table in COPY's order (tenant first), worked out once per table. */
const copyColumnsOf = (table: ProjectionTable): readonly CopyColumn[] => {
  let columns = copyColumns.get(table);
  if (!columns) {
    columns = ['tenant', ...Object.keys(table.columns)].map((name) => ({
      name,
      json: name !== 'tenant' && isJson(table.columns[name] ?? ''),
    }));
    copyColumns.set(table, columns);
  }
  return columns;
};

const groupStatement = (
  target: string,
  table: ProjectionTable,
  group: readonly PendingRow[],
  firstParam: number,
): RowStatement | undefined => {
  const [first] = group;
  if (!first) return undefined;
  const keyColumns = ['tenant', ...table.key];
  const setColumns = Object.keys(first.set);
  const addColumns = Object.keys(first.add);
  if (first.kind === 'update' && setColumns.length + addColumns.length === 0) return undefined;
  const columns = [...keyColumns, ...setColumns, ...addColumns];
  const type = (column: string) => (column === 'tenant' ? 'text' : (table.columns[column] ?? 'text'));
  const params = columns.map((column) => group.map((row) => toParameter(table, column, valueOf(row, column))));
  const unnest = `unnest(${columns.map((column, n) => `$${firstParam + n}::${type(column)}[]`).join(', ')})`;
  const as = `v(${columns.map(quote).join(', ')})`;
  const matches = keyColumns.map((column) => `t.${quote(column)} = v.${quote(column)}`).join(' AND ');
  const assignments = (source: string) => [
    ...setColumns.map((column) => `${quote(column)} = ${source}.${quote(column)}`),
    ...addColumns.map((column) => `${quote(column)} = coalesce(t.${quote(column)}, 0) + ${source}.${quote(column)}`),
  ];
  const and = (condition?: string) => (condition ? ` AND ${condition}` : '');
  if (first.kind === 'delete')
    return {
      params,
      sql: (c) => `DELETE FROM ${target} AS t USING ${unnest} AS ${as} WHERE ${matches}${and(c)}`,
    };
  if (first.kind === 'update') {
    const sql = (c?: string) =>
      `UPDATE ${target} AS t SET ${assignments('v').join(', ')} FROM ${unnest} AS ${as} WHERE ${matches}${and(c)}`;
    return { params, sql };
  }
  // An `insert` asked for as a statement (not sent with COPY) is written as the upsert it stands for.
  const onConflict =
    setColumns.length + addColumns.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${assignments('EXCLUDED').join(', ')}`;
  const sql = (c?: string) =>
    `INSERT INTO ${target} AS t (${columns.map(quote).join(', ')}) SELECT * FROM ${unnest} AS ${as}${c ? ` WHERE ${c}` : ''}
       ON CONFLICT (${keyColumns.map(quote).join(', ')}) ${onConflict}`;
  return { params, sql };
};

/**
 * A row's identity within the set: its key columns' values and its tenant, joined by NUL, a character no PostgreSQL
 * text holds (so no two keys it could store join alike). Plain concatenation: this runs for every row change.
 */
const rowId = (table: ProjectionTable, key: Readonly<Record<string, ColumnValue>>): string => {
  let id = key.tenant as string;
  for (let n = 0; n < table.key.length; n++) id += '\u0000' + keyText(key[table.key[n] as string]);
  return id;
};

/** A key value as text: as the column will hold it (a bigint by its digits, an instant in ISO form), JSON otherwise. */
const keyText = (value: ColumnValue | undefined): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
      ? String(value)
      : value instanceof Date
        ? value.toISOString()
        : JSON.stringify(value);
