import type { Pool, PoolClient } from '#libs/database';
import { quoteIdentifier, type ListSpec, type SortTerm } from './list-spec.js';
import { encodeCursor, type Paging } from './paging.js';
import { InvalidQuery } from './query-errors.js';
import { SqlParams } from './sql-params.js';

export interface ListRequest {
  tenant: string;
  /** Equality filters by API column name; undefined values are ignored. */
  filters: Readonly<Record<string, unknown>>;
  /** `-places,district`: a minus sorts descending. */
  sort?: string;
  paging: Paging;
}

export type PageInfo =
  | { kind: 'keyset'; limit: number; nextCursor: string | null }
  | { kind: 'offset'; page: number; pageSize: number; total: number };

export interface ListResult<Row> {
  items: Row[];
  page: PageInfo;
}

/** `-places,district` against the whitelist, with the key columns appended so the order is total. */
export const parseSort = (spec: ListSpec, sort: string | undefined): SortTerm[] => {
  const terms: SortTerm[] =
    sort === undefined || sort === ''
      ? [...spec.defaultSort]
      : sort.split(',').map((part) => {
          const descending = part.startsWith('-');
          const column = descending ? part.slice(1) : part;
          if (!spec.columns[column]?.sort) {
            const allowed = Object.keys(spec.columns).filter((name) => spec.columns[name]?.sort);
            throw new InvalidQuery(`Cannot sort by "${column}"; sort by one of: ${allowed.join(', ')}`, 'sort');
          }
          return { column, direction: descending ? 'desc' : 'asc' };
        });
  const named = new Set(terms.map((term) => term.column));
  for (const column of spec.key) if (!named.has(column)) terms.push({ column, direction: 'asc' });
  return terms;
};

const sortKey = (terms: readonly SortTerm[]) =>
  terms.map((term) => `${term.direction === 'desc' ? '-' : ''}${term.column}`).join(',');

const columnSql = (column: string) => `r.${quoteIdentifier(column)}`;

/*
 * NULL sorts as the smallest value either way (ASC NULLS FIRST, DESC NULLS LAST), so "after the cursor" can be written
 * per term without NULL comparisons going unknown.
 */
const orderBy = (terms: readonly SortTerm[]) =>
  terms
    .map((term) => `${columnSql(term.column)} ${term.direction === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`)
    .join(', ');

const afterCursor = (spec: ListSpec, terms: readonly SortTerm[], values: readonly unknown[], params: SqlParams) => {
  if (values.length !== terms.length) throw new InvalidQuery('The cursor does not fit this sort', 'cursor');
  const equal = (index: number) => {
    const term = terms[index] as SortTerm;
    const value = values[index];
    const type = spec.columns[term.column]?.type ?? 'text';
    return value === null
      ? `${columnSql(term.column)} IS NULL`
      : `${columnSql(term.column)} = ${params.add(value, type)}`;
  };
  const after = (index: number) => {
    const term = terms[index] as SortTerm;
    const value = values[index];
    const type = spec.columns[term.column]?.type ?? 'text';
    const column = columnSql(term.column);
    if (term.direction === 'asc')
      return value === null ? `${column} IS NOT NULL` : `${column} > ${params.add(value, type)}`;
    return value === null ? 'FALSE' : `(${column} < ${params.add(value, type)} OR ${column} IS NULL)`;
  };
  const alternatives = terms.map((_, index) =>
    [...terms.slice(0, index).map((__, before) => equal(before)), after(index)].join(' AND '),
  );
  return `(${alternatives.map((alternative) => `(${alternative})`).join(' OR ')})`;
};

/** Builds the statement for one page: tenant first, then the whitelisted filters, the sort and the page. */
export const buildListQuery = (spec: ListSpec, request: ListRequest): { text: string; values: unknown[] } => {
  const params = new SqlParams();
  const tenant = params.add(request.tenant, 'text');
  const from = spec.from(params, tenant);
  const where = [`r.tenant = ${tenant}`];
  for (const [column, value] of Object.entries(request.filters)) {
    if (value === undefined) continue;
    const definition = spec.columns[column];
    if (!definition?.filter) throw new InvalidQuery(`Cannot filter by "${column}"`, column);
    where.push(`${columnSql(column)} = ${params.add(value, definition.type)}`);
  }
  const terms = parseSort(spec, request.sort);
  const { paging } = request;
  if (paging.kind === 'keyset' && paging.cursor) {
    if (paging.cursor.sort !== sortKey(terms)) throw new InvalidQuery('The cursor was made for another sort', 'cursor');
    where.push(afterCursor(spec, terms, paging.cursor.values, params));
  }
  const columns = Object.keys(spec.columns).map(columnSql);
  const total = paging.kind === 'offset' ? ', count(*) OVER () AS "__total"' : '';
  const window =
    paging.kind === 'offset'
      ? `LIMIT ${params.add(paging.pageSize, 'integer')} OFFSET ${params.add((paging.page - 1) * paging.pageSize, 'integer')}`
      : `LIMIT ${params.add(paging.limit + 1, 'integer')}`;
  const text = `SELECT ${columns.join(', ')}${total} FROM (${from}) AS r WHERE ${where.join(' AND ')}
                ORDER BY ${orderBy(terms)} ${window}`;
  return { text, values: params.values };
};

/** Runs one page of a list; keyset pages fetch one row more than asked to know whether another page follows. */
export const runList = async <Row extends Record<string, unknown>>(
  db: Pool | PoolClient,
  spec: ListSpec,
  request: ListRequest,
): Promise<ListResult<Row>> => {
  const { text, values } = buildListQuery(spec, request);
  const { rows } = await db.query<Row & { __total?: string }>(text, values);
  const { paging } = request;
  if (paging.kind === 'offset') {
    const total = rows[0]?.__total === undefined ? 0 : Number(rows[0].__total);
    const items = rows.map(({ __total, ...row }) => row as unknown as Row);
    // A page past the end has no rows to carry the total; count it separately then.
    const counted = rows.length === 0 && paging.page > 1 ? await countAll(db, spec, request) : total;
    return { items, page: { kind: 'offset', page: paging.page, pageSize: paging.pageSize, total: counted } };
  }
  const more = rows.length > paging.limit;
  const items = (more ? rows.slice(0, paging.limit) : rows) as Row[];
  const terms = parseSort(spec, request.sort);
  const last = items[items.length - 1];
  const nextCursor =
    more && last
      ? encodeCursor({ sort: sortKey(terms), values: terms.map((term) => last[term.column] ?? null) })
      : null;
  return { items, page: { kind: 'keyset', limit: paging.limit, nextCursor } };
};

const countAll = async (db: Pool | PoolClient, spec: ListSpec, request: ListRequest): Promise<number> => {
  const { text, values } = buildListQuery(spec, { ...request, paging: { kind: 'offset', page: 1, pageSize: 1 } });
  const { rows } = await db.query<{ __total: string }>(text, values);
  return Number(rows[0]?.__total ?? 0);
};
