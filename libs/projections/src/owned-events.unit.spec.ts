import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '#libs/event-store';
import { ownedEvents } from './owned-events.js';

const { eventTypes, isOwned } = ownedEvents<{ type: 'PlaceEnrolled' } | { type: 'ApplicationSubmitted' }>({
  PlaceEnrolled: 'enrolment',
  ApplicationSubmitted: 'waitlist',
});
const event = (type: string, streamName: string) => ({ type, streamName }) as RecordedEvent;

describe('ownedEvents', () => {
  it('trusts an event type only from the context that owns it, the second part of the stream name', () => {
    assert.deepEqual(eventTypes, ['PlaceEnrolled', 'ApplicationSubmitted']);
    assert.equal(isOwned(event('PlaceEnrolled', 'trondheim.enrolment.student-1')), true);
    assert.equal(isOwned(event('PlaceEnrolled', 'trondheim.enrolment')), true);
    assert.equal(isOwned(event('PlaceEnrolled', 'trondheim.waitlist.offering-1')), false, 'another context');
    assert.equal(isOwned(event('PlaceEnrolled', 'trondheim.enrolments.student-1')), false, 'a longer name');
    assert.equal(isOwned(event('PlaceEnrolled', 'trondheim.enrol.student-1')), false, 'a shorter name');
    assert.equal(isOwned(event('PlaceEnrolled', 'enrolment')), false, 'no tenant part');
    assert.equal(isOwned(event('PlaceEnrolled', 'enrolment.x.y')), false, 'the context in the tenant’s place');
    assert.equal(isOwned(event('OfferAccepted', 'trondheim.waitlist.offering-1')), false, 'a type it does not handle');
  });

  it('reads the context exactly as splitting the stream name on dots would, for any name', () => {
    const part = fc.constantFrom('', 'enrolment', 'waitlist', 'enrolments', 'enrol', 'x', '.');
    const names = fc.array(part, { maxLength: 4 }).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(names, fc.constantFrom('PlaceEnrolled', 'ApplicationSubmitted'), (streamName, type) => {
        const owner = type === 'PlaceEnrolled' ? 'enrolment' : 'waitlist';
        return isOwned(event(type, streamName)) === (streamName.split('.')[1] === owner);
      }),
      { numRuns: 2_000 },
    );
  });
});
