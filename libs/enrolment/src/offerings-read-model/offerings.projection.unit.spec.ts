import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { rows, validateProjection } from '#libs/projections';
import { recordedTestEvent, sampleOfferingOpened } from '#libs/testing';
import { offeringsProjection } from './offerings.projection.js';

const recorded = (type: string, data: Record<string, unknown>, position = 7n) =>
  recordedTestEvent('trondheim.enrolment.offering-piano-1', type, data, position);

const opened = recorded('OfferingOpened', sampleOfferingOpened({ feePerSemesterNok: 1800, schoolYear: '2025-26' }));

describe('offerings projection', () => {
  it('is a definition the runner accepts', () => {
    assert.doesNotThrow(() => validateProjection(offeringsProjection));
  });

  it('opens an offering with its capacity and no places held', () => {
    assert.deepEqual(offeringsProjection.handle(opened), [
      rows.upsert(
        'offerings',
        { offering_id: 'piano-1' },
        {
          subject: 'Piano',
          subject_group: 'music',
          programme: 'core',
          location: 'Ranheim',
          district: 'Østbyen',
          school_year: '2025-26',
          capacity: 12,
          places_held: 0,
          status: 'open',
          opened_at: '2025-08-20T08:00:00.000Z',
          closed_at: null,
          position: 7n,
        },
      ),
    ]);
  });

  it('counts an enrolled place and lists it', () => {
    const enrolled = recorded(
      'PlaceEnrolled',
      {
        offeringId: 'piano-1',
        placeId: 'pl-1',
        studentId: 's-1',
        programme: 'core',
        enrolledAt: '2025-08-21T08:00:00Z',
      },
      9n,
    );
    assert.deepEqual(offeringsProjection.handle(enrolled), [
      rows.update('offerings', { offering_id: 'piano-1' }, { position: 9n }, { places_held: 1 }),
      rows.upsert(
        'offering_places',
        { place_id: 'pl-1' },
        { offering_id: 'piano-1', student_id: 's-1', programme: 'core', enrolled_at: '2025-08-21T08:00:00Z' },
      ),
    ]);
  });

  it('uncounts a withdrawn place and removes it', () => {
    const withdrawn = recorded('PlaceWithdrawn', { offeringId: 'piano-1', placeId: 'pl-1', studentId: 's-1' }, 11n);
    assert.deepEqual(offeringsProjection.handle(withdrawn), [
      rows.update('offerings', { offering_id: 'piano-1' }, { position: 11n }, { places_held: -1 }),
      rows.delete('offering_places', { place_id: 'pl-1' }),
    ]);
  });

  it('records a capacity change and a closing', () => {
    const changed = recorded('CapacityChanged', { offeringId: 'piano-1', previousCapacity: 12, capacity: 14 }, 12n);
    const closed = recorded('OfferingClosed', { offeringId: 'piano-1', closedAt: '2026-06-20T10:00:00Z' }, 13n);
    assert.deepEqual(offeringsProjection.handle(changed), [
      rows.update('offerings', { offering_id: 'piano-1' }, { capacity: 14, position: 12n }),
    ]);
    assert.deepEqual(offeringsProjection.handle(closed), [
      rows.update(
        'offerings',
        { offering_id: 'piano-1' },
        { status: 'closed', closed_at: '2026-06-20T10:00:00Z', position: 13n },
      ),
    ]);
  });

  it('ignores events it does not read', () => {
    assert.deepEqual(offeringsProjection.handle(recorded('SeatsReleased', { offeringId: 'piano-1' })), []);
  });
});

describe('projection definitions', () => {
  it('refuses a table name that could not be a safe identifier', () => {
    const bad = { ...offeringsProjection, tables: [{ name: 'offerings; drop', columns: { a: 'text' }, key: ['a'] }] };
    assert.throws(() => validateProjection(bad), /table name/);
  });
});
