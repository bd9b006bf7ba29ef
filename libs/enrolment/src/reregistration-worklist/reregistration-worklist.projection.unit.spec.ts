import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { recordedTestEvent } from '#libs/testing';
import { rows, validateProjection } from '#libs/projections';
import { reregistrationWorklistProjection as projection } from './reregistration-worklist.projection.js';

const ref = { offeringId: 'piano-1', placeId: 'pl-1', studentId: 'st-1', schoolYear: '2025-2026' };
const from = (stream: string, type: string, data: Record<string, unknown>) =>
  projection.handle(recordedTestEvent(stream, type, data, 9n));
const enrolment = (type: string, data: Record<string, unknown>) =>
  from('trondheim.enrolment.offering-piano-1', type, data);

describe('re-registration worklist projection', () => {
  it('is a definition the runner accepts', () => {
    assert.doesNotThrow(() => validateProjection(projection));
  });

  it('records the request with its deadline, unanswered', () => {
    assert.deepEqual(
      enrolment('PlaceReregistrationRequested', {
        ...ref,
        deadline: '2026-05-01',
        requestedAt: '2026-03-31T22:30:00.000Z',
      }),
      [
        rows.upsert(
          'place_reregistrations',
          { place_id: 'pl-1' },
          {
            ...{ offering_id: 'piano-1', student_id: 'st-1', school_year: '2025-2026', deadline: '2026-05-01' },
            // Half past midnight in Oslo: the request's day is 1 April.
            ...{ requested_on: '2026-04-01', reminded_on: null, answer: null, continues: null },
            ...{ answered_at: null, place_ended_on: null },
          },
        ),
      ],
    );
  });

  it('keeps how the place was answered: a reply or the policy’s silence, continue or quit', () => {
    const at = '2026-05-02T06:00:00.000Z';
    assert.deepEqual(enrolment('PlaceReregistered', { ...ref, answer: 'silence', answeredAt: at }), [
      rows.update(
        'place_reregistrations',
        { place_id: 'pl-1' },
        { answer: 'silence', continues: true, answered_at: at },
      ),
    ]);
    assert.deepEqual(
      enrolment('PlaceQuitAtYearEnd', { ...ref, lastDay: '2026-07-31', answer: 'reply', answeredAt: at }),
      [
        rows.update(
          'place_reregistrations',
          { place_id: 'pl-1' },
          { answer: 'reply', continues: false, answered_at: at },
        ),
      ],
    );
  });

  it('trusts enrolment’s events only from enrolment’s streams', () => {
    assert.deepEqual(
      from('trondheim.waitlist.offering-piano-1', 'PlaceReregistered', { ...ref, answer: 'reply', answeredAt: 'x' }),
      [],
    );
  });
});
