import { describe, expect, it } from '@jest/globals';
import { parseImportFile } from './import-line.js';

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);
const offering = { key: 'offering:piano', at: '2025-03-01T09:00:00+01:00', command: 'openOffering', data: {} };
const place = {
  key: 'place:1',
  at: '2025-08-20T09:00:00+02:00',
  command: 'submitApplication',
  data: { offering: 'offering:piano' },
};

describe('an import file', () => {
  it('keeps well-formed facts in their order with their line numbers', () => {
    const { lines, refused } = parseImportFile([line(offering), '', line(place)].join('\n'));
    expect(refused).toEqual([]);
    expect(lines.map((l) => [l.key, l.line, l.command])).toEqual([
      ['offering:piano', 1, 'openOffering'],
      ['place:1', 3, 'submitApplication'],
    ]);
  });

  it('refuses a line that is not JSON, has no offset on its time, or names an unknown command, and keeps the rest', () => {
    const { lines, refused } = parseImportFile(
      [
        '{not json',
        line({ ...offering, key: 'offering:a', at: '2025-03-01T09:00:00' }),
        line({ ...offering, key: 'offering:b', command: 'dropTable' }),
        line(offering),
      ].join('\n'),
    );
    expect(lines.map((l) => l.key)).toEqual(['offering:piano']);
    expect(refused.map((r) => [r.line, r.reason.split(' ').slice(0, 3).join(' ')])).toEqual([
      [1, 'not a JSON'],
      [2, 'at must be'],
      [3, 'command must be'],
    ]);
  });

  it('refuses a key used twice, a reference to a later or unknown line, and a fact earlier than the one before', () => {
    const { lines, refused } = parseImportFile(
      [
        line({ ...place, data: { offering: 'offering:piano' } }),
        line(offering),
        line(offering),
        line({ ...place, key: 'place:2', at: '2025-01-01T00:00:00Z' }),
      ].join('\n'),
    );
    expect(lines.map((l) => l.key)).toEqual(['offering:piano']);
    expect(refused.map((r) => r.reason)).toEqual([
      'data.offering must be the key of an earlier line',
      'key offering:piano is used by an earlier line',
      'at 2025-01-01T00:00:00Z is earlier than the line before it: facts come in time order',
    ]);
  });

  it('says that a line needs a refused one rather than that it names nothing', () => {
    const { refused } = parseImportFile([line({ ...offering, data: 'x' }), line(place)].join('\n'));
    expect(refused.map((r) => r.reason)).toEqual(['data must be an object', 'needs offering:piano, refused above']);
  });
});
