import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { canonicalQuery, ifNoneMatchHits, weakEtag } from './etag.js';

describe('ETags', () => {
  it('are weak and change with the position or the question', () => {
    const tag = weakEtag(['statistics@v1', '100', 'trondheim', '/statistics', 'a=1']);
    assert.match(tag, /^W\/"[A-Za-z0-9_-]+"$/);
    assert.equal(tag, weakEtag(['statistics@v1', '100', 'trondheim', '/statistics', 'a=1']));
    assert.notEqual(tag, weakEtag(['statistics@v1', '101', 'trondheim', '/statistics', 'a=1']));
    assert.notEqual(tag, weakEtag(['statistics@v1', '100', 'klaebu', '/statistics', 'a=1']));
  });

  it('match If-None-Match by weak comparison, in a list, or *', () => {
    const tag = 'W/"abc"';
    assert.equal(ifNoneMatchHits('W/"abc"', tag), true);
    assert.equal(ifNoneMatchHits('"abc"', tag), true);
    assert.equal(ifNoneMatchHits('W/"x", W/"abc"', tag), true);
    assert.equal(ifNoneMatchHits('*', tag), true);
    assert.equal(ifNoneMatchHits('W/"abd"', tag), false);
    assert.equal(ifNoneMatchHits(undefined, tag), false);
  });

  it('see the same query in any parameter order', () => {
    assert.equal(canonicalQuery('/s?b=2&a=1'), canonicalQuery('/s?a=1&b=2'));
    assert.notEqual(canonicalQuery('/s?a=1'), canonicalQuery('/s?a=2'));
  });
});
