import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildListQuery, parseSort } from './list-query.js';
import type { ListSpec } from './list-spec.js';
import { decodeCursor, encodeCursor, pagingOf } from './paging.js';

const spec: ListSpec = {
  from: (params) => `SELECT tenant, district AS "district", n AS "students" FROM t WHERE y = ${params.add('2025')}`,
  columns: { district: { type: 'text', filter: true, sort: true }, students: { type: 'integer', sort: true } },
  key: ['district'],
  defaultSort: [{ column: 'students', direction: 'desc' }],
};

describe('list queries', () => {
  it('always filter by the tenant, and bind every value', () => {
    const { text, values } = buildListQuery(spec, {
      tenant: 'trondheim',
      filters: { district: "Heimdal'; DROP TABLE x; --" },
      paging: pagingOf({}),
    });
    assert.match(text, /WHERE r\.tenant = \$1::text/);
    assert.ok(!text.includes('DROP TABLE'));
    assert.deepEqual(values.slice(0, 3), ['trondheim', '2025', "Heimdal'; DROP TABLE x; --"]);
  });

  it('refuse a filter or a sort outside the whitelist', () => {
    assert.throws(
      () => buildListQuery(spec, { tenant: 't', filters: { students: 3 }, paging: pagingOf({}) }),
      /Cannot filter by "students"/,
    );
    assert.throws(() => parseSort(spec, 'tenant'), /Cannot sort by "tenant"/);
  });

  it('append the key to the sort so the order is total', () => {
    assert.deepEqual(parseSort(spec, '-students'), [
      { column: 'students', direction: 'desc' },
      { column: 'district', direction: 'asc' },
    ]);
  });

  it('refuse mixed paging styles, sizes over the maximum, and a cursor made for another sort', () => {
    assert.throws(() => pagingOf({ limit: 10, page: 2 }), /either limit\/cursor or page\/pageSize/);
    assert.throws(() => pagingOf({ pageSize: 501 }), /1 to 500/);
    assert.equal(pagingOf({ pageSize: 5000 }, { csv: true }).kind, 'offset');
    const cursor = encodeCursor({ sort: 'district', values: ['Heimdal'] });
    assert.deepEqual(decodeCursor(cursor), { sort: 'district', values: ['Heimdal'] });
    assert.throws(
      () => buildListQuery(spec, { tenant: 't', filters: {}, sort: '-students', paging: pagingOf({ cursor }) }),
      /another sort/,
    );
    assert.throws(() => decodeCursor('not a cursor'), /not one this API gave out/);
  });
});
