import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import {
  fromBytes,
  fromCompact,
  newDataKey,
  open,
  seal,
  toBytes,
  toCompact,
  UnreadableCiphertext,
} from './sealed-box.js';

const aad = Buffer.from('["field","trondheim","s","name"]');

describe('sealed box (AES-256-GCM)', () => {
  it('round-trips through the compact and the stored form', () => {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from('Kari Nordmann'), aad);
    assert.equal(open(key, fromCompact(toCompact(sealed)), aad).toString(), 'Kari Nordmann');
    assert.equal(open(key, fromBytes(toBytes(sealed)), aad).toString(), 'Kari Nordmann');
  });

  it('writes v1.<iv>.<tag>.<ciphertext> in base64url with a fresh iv each time', () => {
    const key = newDataKey();
    const first = toCompact(seal(key, Buffer.from('x'), aad));
    const second = toCompact(seal(key, Buffer.from('x'), aad));
    assert.match(first, /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    assert.notEqual(first, second);
  });

  for (const malformed of ['', 'v2.a.b.c', 'v1.a.b', 'v1.a.b.c.d', 'v1.a+b.c.d', 'v1.AAAA.AAAA.AAAA']) {
    it(`refuses the malformed ciphertext "${malformed}"`, () => {
      assert.throws(() => open(newDataKey(), fromCompact(malformed), aad), UnreadableCiphertext);
    });
  }

  it('refuses a ciphertext sealed with another key or other additional data', () => {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from('x'), aad);
    assert.throws(() => open(newDataKey(), sealed, aad), UnreadableCiphertext);
    assert.throws(() => open(key, sealed, Buffer.from('other')), UnreadableCiphertext);
  });
});
