import { IMPORT_COMMANDS, referencesOf, type ImportCommandName } from './import-commands.js';

/**
 * One fact of a school's past, as the import file holds it (JSON Lines, one object per line):
 * `{"key":"place/2025/0001","at":"2025-08-20T09:00:00+02:00","command":"enrolStudent","data":{…}}`.
 * `key` names the line for references and makes it idempotent; `at` is when it happened in the old system.
 */
export interface ImportLine {
  key: string;
  at: string;
  command: ImportCommandName;
  data: Record<string, unknown>;
  /** 1-based line number in the file, for the report. */
  line: number;
}

export interface LineRefusal {
  line: number;
  key?: string;
  reason: string;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the file's lines; a line that is not a well-formed fact is refused with its reason and the rest are kept,
 * so one bad row of a 20,000-row export does not stop the others. Facts must come in time order: history is
 * recorded as it happened, so a line earlier than the one before it is refused.
 */
export const parseImportFile = (text: string): { lines: ImportLine[]; refused: LineRefusal[] } => {
  const lines: ImportLine[] = [];
  const refused: LineRefusal[] = [];
  const keys = new Set<string>();
  const refusedKeys = new Set<string>();
  let latest = 0;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return refused.push({ line, reason: 'not a JSON object' });
    }
    if (!isRecord(parsed)) return refused.push({ line, reason: 'not a JSON object' });
    const { key, at, command, data } = parsed;
    if (typeof key !== 'string' || !KEY.test(key)) {
      return refused.push({ line, reason: 'key must be 1–120 letters, digits or . _ : -' });
    }
    const refuse = (reason: string) => {
      if (!keys.has(key)) refusedKeys.add(key);
      return refused.push({ line, key, reason });
    };
    if (keys.has(key)) return refuse(`key ${key} is used by an earlier line`);
    if (typeof at !== 'string' || !INSTANT.test(at) || Number.isNaN(Date.parse(at))) {
      return refuse('at must be an ISO-8601 instant with its offset');
    }
    if (typeof command !== 'string' || !(command in IMPORT_COMMANDS)) {
      return refuse(`command must be one of ${Object.keys(IMPORT_COMMANDS).join(', ')}`);
    }
    if (!isRecord(data)) return refuse('data must be an object');
    if (Date.parse(at) < latest) return refuse(`at ${at} is earlier than the line before it: facts come in time order`);
    for (const { field, key: target } of referencesOf(IMPORT_COMMANDS[command as ImportCommandName], data)) {
      if (typeof target === 'string' && refusedKeys.has(target)) return refuse(`needs ${target}, refused above`);
      if (typeof target !== 'string' || !keys.has(target)) {
        return refuse(`data.${field} must be the key of an earlier line`);
      }
    }
    latest = Date.parse(at);
    keys.add(key);
    lines.push({ key, at, command: command as ImportCommandName, data, line });
  });
  return { lines, refused };
};
