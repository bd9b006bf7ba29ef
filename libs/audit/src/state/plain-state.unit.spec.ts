import { describe, expect, it } from '@jest/globals';
import { PersistentMap } from '#libs/decider';
import { aggregateFolds } from './aggregate-deciders.js';
import { plainState } from './plain-state.js';

describe('plainState', () => {
  it("shows a waitlist's applications and offers by id, as the auditor reads them in JSON", () => {
    const fold = aggregateFolds['waitlist.offering'];
    const offeringId = 'offering-1';
    const state = fold?.([
      { type: 'WaitlistOpened', data: { offeringId, admission: 'audition', openedAt: '2026-09-01T08:00:00.000Z' } },
      {
        type: 'ApplicationSubmitted',
        data: {
          ...{ offeringId, applicationId: 'application-1', childId: 'child-1', appliedAt: '2026-09-02T08:00:00.000Z' },
          ...{ appliedOn: '2026-09-02', born: '2015-03-04', specialNeeds: false, hasPlace: false },
        },
      },
    ]);
    const shown = JSON.parse(JSON.stringify(plainState(state))) as {
      entries: Record<string, { childId: string; offerId: string | null }>;
      offers: Record<string, unknown>;
    };
    expect(Object.keys(shown.entries)).toEqual(['application-1']);
    expect(shown.entries['application-1']).toMatchObject({ childId: 'child-1', offerId: null });
    expect(shown.offers).toEqual({});
  });

  it('leaves plain values, arrays and objects as they were', () => {
    const value = {
      ...{ a: [1, { b: 'c' }], d: null, e: new Map([['f', new Map([['g', 1]])]]) },
      h: PersistentMap.of([['i', PersistentMap.of([['j', 2]])]]),
    };
    expect(plainState(value)).toEqual({ a: [1, { b: 'c' }], d: null, e: { f: { g: 1 } }, h: { i: { j: 2 } } });
  });
});
