import { columnsOf, toCsv, type CsvCell } from '#libs/query';

export type OutputFormat = 'table' | 'csv' | 'json';
export type Row = Readonly<Record<string, unknown>>;

const WIDEST_CELL = 60;

const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** A plain-text table for a terminal: long cells are cut with an ellipsis (use csv or json for everything). */
export const renderTable = (rows: readonly Row[], columns: readonly string[] = columnsOf(rows)): string => {
  if (rows.length === 0) return '(no rows)\n';
  const cut = (text: string) => (text.length > WIDEST_CELL ? `${text.slice(0, WIDEST_CELL - 1)}…` : text);
  const cells = rows.map((row) => columns.map((column) => cut(cellText(row[column]))));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
};

/** Rows as the chosen format; `whole` is what json prints (the full answer, not only the rows). */
export const render = (
  format: OutputFormat,
  rows: readonly Row[],
  whole: unknown,
  columns?: readonly string[],
): string => {
  if (format === 'json')
    return `${JSON.stringify(whole, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value), 2)}\n`;
  const chosen = columns ?? columnsOf(rows);
  if (format === 'csv') return toCsv(chosen, rows as readonly Record<string, CsvCell>[]);
  return renderTable(rows, chosen);
};

/** A nested state as path/value rows, so a table or a spreadsheet can show it. */
export const flatten = (value: unknown, path = ''): { path: string; value: unknown }[] => {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) return [{ path: path || '(root)', value: Array.isArray(value) ? '[]' : '{}' }];
    return entries.flatMap(([key, nested]) => flatten(nested, path ? `${path}.${key}` : key));
  }
  return [{ path: path || '(root)', value }];
};
