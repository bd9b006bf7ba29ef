import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { parseAddressChange } from './address-change.js';

const parse = (body: object) => parseAddressChange(JSON.stringify(body));
const base = { changeId: 'c-1', subjectRef: 'child-1', effectiveOn: '2025-10-15' };

describe('an address change from the population register', () => {
  it('reads a move within the municipality by its district', () =>
    assert.deepEqual(parse({ ...base, district: 'Heimdal' }), { ok: true, change: { ...base, district: 'Heimdal' } }));

  it('reads a move out of the municipality, which sends no district', () =>
    assert.deepEqual(parse({ ...base, movedOut: true }), { ok: true, change: { ...base, movedOut: true } }));

  it('refuses a move out that names a district', () =>
    assert.equal(parse({ ...base, movedOut: true, district: 'Heimdal' }).ok, false));

  it('refuses a move within the municipality without a district', () => {
    assert.equal(parse(base).ok, false);
    assert.equal(parse({ ...base, movedOut: false }).ok, false);
  });
});
