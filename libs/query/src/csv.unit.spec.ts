import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { csvCell, toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    assert.equal(csvCell('Byåsen, vest'), '"Byåsen, vest"');
    assert.equal(csvCell('sa "hei"'), '"sa ""hei"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    assert.equal(csvCell('=SUM(A1:A9)'), "'=SUM(A1:A9)");
    assert.equal(csvCell('+47 22 00'), "'+47 22 00");
    assert.equal(csvCell('-1+1'), "'-1+1");
    assert.equal(csvCell('@cmd'), "'@cmd");
    assert.equal(csvCell('=HYPERLINK("x","y")'), `"'=HYPERLINK(""x"",""y"")"`);
  });

  it('writes numbers as numbers, negative ones too, and empty for null', () => {
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(12.5), '12.5');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(true), 'true');
  });

  it('writes a header and one CRLF line per row in the given column order', () => {
    const csv = toCsv(
      ['district', 'students'],
      [
        { students: 3, district: 'Heimdal' },
        { district: 'Klæbu', students: 1 },
      ],
    );
    assert.equal(csv, 'district,students\r\nHeimdal,3\r\nKlæbu,1\r\n');
  });
});
