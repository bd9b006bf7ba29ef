import type { PoolClient } from '#libs/database';
import type { ColumnValue, Projection, ProjectionTable, RowChange } from '../projection.js';
import type { TableSet } from './table-set.js';

export interface PendingRow {
  kind: 'upsert' | 'update' | 'delete';
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

  constructor(projection: Pick<Projection, 'tables'>) {
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
    for (const column of Object.keys(row.add)) {
      if (column in row.set) throw new RowChangeError(`"${table.name}.${column}" is both set and incremented`);
    }
    return {
      table: table.name,
      id: JSON.stringify(table.key.map((column) => keyText(key[column])).concat(tenant)),
      row,
    };
  }

  addPrepared({ table, id, row: next }: PreparedRow): void {
    let byKey = this.rowsByTable.get(table);
    if (!byKey) this.rowsByTable.set(table, (byKey = new Map()));
    this.size++;
    const steps = byKey.get(id);
    if (!steps) return void byKey.set(id, [next]);
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

  async write(client: PoolClient, set: TableSet): Promise<void> {
    for (const round of [0, 1]) {
      for (const statement of this.statements(set, round)) await client.query(statement.sql(), statement.params);
    }
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
  statements(set: TableSet, round: number, firstParam?: number): RowStatement[] {
    const statements: RowStatement[] = [];
    let next = firstParam ?? 1;
    for (const [tableName, byKey] of this.rowsByTable) {
      const table = this.tables.get(tableName);
      if (!table) continue;
      const groups = new Map<string, PendingRow[]>();
      for (const steps of byKey.values()) {
        const step = steps[round];
        if (!step) continue;
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
  const params = columns.map((column) =>
    group.map((row) => {
      const value = column in row.set ? row.set[column] : column in row.add ? row.add[column] : row.key[column];
      return toParameter(table, column, value ?? null);
    }),
  );
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
  const onConflict =
    setColumns.length + addColumns.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${assignments('EXCLUDED').join(', ')}`;
  const sql = (c?: string) =>
    `INSERT INTO ${target} AS t (${columns.map(quote).join(', ')}) SELECT * FROM ${unnest} AS ${as}${c ? ` WHERE ${c}` : ''}
       ON CONFLICT (${keyColumns.map(quote).join(', ')}) ${onConflict}`;
  return { params, sql };
};

// JSON has no bigint: a bigint key (a position) identifies its row by its digits, as the column will hold it. (Not a
// JSON.stringify replacer: that leaves V8's fast path, and this runs for every row change of every rebuild.)
const keyText = (value: ColumnValue | undefined) => (typeof value === 'bigint' ? String(value) : value);
