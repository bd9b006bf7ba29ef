/** A cell a CSV export takes; objects are written as JSON. */
export type CsvCell = unknown;

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"); tab and CR too.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as RFC 4180 text: numbers as they are, text quoted when needed and defused when it could be a formula. */
export const csvCell = (value: CsvCell): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : typeof value === 'string'
          ? value
          : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

/** A table as CSV with a header row; lines end in CRLF as RFC 4180 says. */
export const toCsv = (columns: readonly string[], rows: readonly object[]): string => {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) {
    lines.push(columns.map((column) => csvCell((row as Readonly<Record<string, unknown>>)[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
};

/** The columns of a table: the given ones, or the keys of its rows in first-seen order. */
export const columnsOf = (rows: readonly object[]): string[] => {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
};
