import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { serverSideFilter } from './server-filter.js';

describe('the filter EventStoreDB applies to a subscription', () => {
  it('matches exactly the event types asked for', () => {
    const filter = serverSideFilter({ eventTypes: ['PlaceEnrolled', 'PlaceOffered'], streamPrefixes: ['trondheim.'] });
    assert.equal(filter.filterOn, 'eventType');
    assert.ok('regex' in filter);
    const regex = new RegExp(filter.regex);
    assert.deepEqual(
      ['PlaceEnrolled', 'PlaceOffered', 'PlaceEnrolledV2', 'XPlaceOffered', '$metadata'].map((t) => regex.test(t)),
      [true, true, false, false, false],
    );
  });

  it('filters on stream prefixes when no types are given', () => {
    const filter = serverSideFilter({ streamPrefixes: ['trondheim.waitlist.', 'malvik.waitlist.'] });
    assert.equal(filter.filterOn, 'streamName');
    assert.ok('prefixes' in filter);
    assert.deepEqual(filter.prefixes, ['trondheim.waitlist.', 'malvik.waitlist.']);
  });

  it('leaves out at least the system events when nothing is asked', () => {
    const filter = serverSideFilter(undefined);
    assert.equal(filter.filterOn, 'eventType');
    assert.ok('regex' in filter);
    const regex = new RegExp(filter.regex);
    assert.deepEqual(
      ['$statsCollected', 'ApplicationSubmitted'].map((t) => regex.test(t)),
      [false, true],
    );
  });

  it('escapes what a regex would read as syntax', () => {
    const filter = serverSideFilter({ eventTypes: ['a.b'] });
    assert.ok('regex' in filter);
    assert.equal(new RegExp(filter.regex).test('axb'), false);
  });
});
