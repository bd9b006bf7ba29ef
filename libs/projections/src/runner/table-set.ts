import { createHash } from 'node:crypto';
import { assertIdentifier, type Projection, type ProjectionTable } from '../projection.js';

/**
 * Where one build of a projection keeps its rows. Live builds sit in `public` as `<table>__v<version>` beside the
 * other versions, behind a view named `<table>`; as-of builds belong to one tenant and get their own schema
 * `asof_<tenant key>_<name>`, so two tenants may use the same name.
 */
export interface TableSet {
  /** Key of its checkpoint row: `<projection>@v<version>` or `asof:<tenant>:<name>`. */
  id: string;
  kind: 'live' | 'asof';
  schema: string;
  /** Quoted, schema-qualified name of one table of the set. */
  table(name: string): string;
  /** Unquoted relation name (for index names and catalogue lookups). */
  relation(name: string): string;
}

export const liveTableSet = (projection: Pick<Projection, 'name' | 'version'>): TableSet => ({
  id: `${projection.name}@v${projection.version}`,
  kind: 'live',
  schema: 'public',
  table: (name) => `"public"."${name}__v${projection.version}"`,
  relation: (name) => `${name}__v${projection.version}`,
});

const TENANT = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * The tenant's part of an as-of schema name: a tenant id (up to 40 characters, with hyphens) and a build name (up to
 * 40) do not fit PostgreSQL's 63 together, so the tenant is a fixed-length digest: `asof_` + 12 hex + `_` + name.
 */
export const asOfTenantKey = (tenant: string): string => {
  if (!TENANT.test(tenant)) throw new Error(`Tenant "${tenant}" must match ${TENANT.source}`);
  return createHash('sha256').update(`asof:${tenant}`).digest('hex').slice(0, 12);
};

/** The table set of a tenant's as-of build: every tenant has its own name space of builds. */
export const asOfTableSet = (tenant: string, name: string): TableSet => {
  assertIdentifier('As-of build name', name);
  const schema = `asof_${asOfTenantKey(tenant)}_${name}`;
  return {
    id: `asof:${tenant}:${name}`,
    kind: 'asof',
    schema,
    table: (table) => `"${schema}"."${table}"`,
    relation: (table) => table,
  };
};

const quote = (identifier: string) => `"${identifier}"`;

/**
 * Idempotent DDL, so a build killed before its first batch just creates what is missing. Tables and their keys only:
 * a build writes by key, so the extra indexes (createIndexesSql) wait until it has caught up, and are then built once
 * from sorted rows rather than kept up row by row through every batch of a rebuild (a third faster in bench:rebuild).
 */
export const createTablesSql = (
  set: TableSet,
  tables: readonly ProjectionTable[],
  { unlogged = false }: { unlogged?: boolean } = {},
): string => {
  const statements = set.kind === 'asof' ? [`CREATE SCHEMA IF NOT EXISTS ${quote(set.schema)}`] : [];
  const create = unlogged ? 'CREATE UNLOGGED TABLE' : 'CREATE TABLE';
  for (const table of tables) {
    const columns = Object.entries(table.columns).map(([column, type]) => `${quote(column)} ${type}`);
    const key = ['tenant', ...table.key].map(quote).join(', ');
    statements.push(
      `${create} IF NOT EXISTS ${set.table(table.name)} (tenant text NOT NULL, ${columns.join(', ')}, PRIMARY KEY (${key}))`,
    );
  }
  return statements.join(';\n');
};

/** The tables' extra indexes, for the queries; idempotent, run when a build has caught up (and on every start after). */
export const createIndexesSql = (set: TableSet, tables: readonly ProjectionTable[]): string =>
  tables
    .flatMap((table) =>
      (table.indexes ?? []).map((columns, n) => {
        const indexName = quote(`${set.relation(table.name)}__i${n}`);
        const indexed = ['tenant', ...columns].map(quote).join(', ');
        return `CREATE INDEX IF NOT EXISTS ${indexName} ON ${set.table(table.name)} (${indexed})`;
      }),
    )
    .join(';\n');

export const dropTablesSql = (set: TableSet, tables: readonly ProjectionTable[]): string =>
  set.kind === 'asof'
    ? `DROP SCHEMA IF EXISTS ${quote(set.schema)} CASCADE`
    : tables.map((table) => `DROP TABLE IF EXISTS ${set.table(table.name)}`).join(';\n');

/** The views queries go through; pointed at a new live set in the switch transaction. */
export const viewName = (table: ProjectionTable): string => `"public".${quote(table.name)}`;

/** As-of builds answer auditors about a past date: once built, nothing may change them. */
export const makeReadOnlySql = (set: TableSet, tables: readonly ProjectionTable[]): string =>
  tables
    .map(
      (table) =>
        `CREATE OR REPLACE TRIGGER read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${set.table(table.name)}
           FOR EACH STATEMENT EXECUTE FUNCTION projection_read_only()`,
    )
    .join(';\n');
