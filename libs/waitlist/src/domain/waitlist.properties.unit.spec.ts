import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { DomainError } from '#libs/decider';
import { addDays } from '#libs/calendar';
import type { WaitlistCommand } from './waitlist.commands.js';
import { createWaitlistDecider } from './waitlist.decider.js';
import type { WaitlistEvent } from './waitlist.events.js';
import { waitlistPolicies, type OrderingPolicy, type WaitlistPolicy } from './waitlist.policy.js';
import { orderQueue, type QueueEntry } from './waitlist-queue.js';
import { pendingOffers, waitingEntries, type OpenWaitlistState, type Waitlist } from './waitlist.state.js';

// A written-out reference of rule 3, independent of the comparator in waitlist-queue.ts.
const referenceKey = (e: QueueEntry, p: OrderingPolicy): (string | number)[] => [
  p.specialNeedsPriority && e.specialNeeds ? 0 : 1,
  p.noPlaceFirst && e.hasPlace ? 1 : 0,
  e.appliedOn,
  e.born,
  Date.parse(e.appliedAt),
  e.applicationId,
];
const compareKeys = (a: (string | number)[], b: (string | number)[]): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};

type Step =
  | { kind: 'submit'; child: number; day: number; hour: number; born: number; hasPlace: boolean; specialNeeds: boolean }
  | { kind: 'withdraw'; child: number }
  | { kind: 'offer' }
  | { kind: 'accept' | 'decline' | 'expire'; offer: number }
  | { kind: 'wait'; hours: number }
  | { kind: 'places'; child: number; hasPlace: boolean };

const child = fc.integer({ min: 0, max: 5 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('submit' as const),
    child,
    day: fc.integer({ min: 1, max: 4 }),
    hour: fc.integer({ min: 6, max: 20 }),
    born: fc.integer({ min: 0, max: 5 }),
    hasPlace: fc.boolean(),
    specialNeeds: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), child }),
  fc.record({ kind: fc.constant('offer' as const) }),
  fc.record({ kind: fc.constantFrom('accept' as const, 'decline' as const, 'expire' as const), offer: fc.nat(9) }),
  fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('places' as const), child, hasPlace: fc.boolean() }),
);

const policy: fc.Arbitrary<Partial<WaitlistPolicy>> = fc.record({
  noPlaceFirst: fc.boolean(),
  specialNeedsPriority: fc.boolean(),
  answerDays: fc.integer({ min: 1, max: 10 }),
  silenceMeansAcceptance: fc.boolean(),
});

const START = '2025-09-01T10:00:00.000Z';

interface Run {
  readonly policy: WaitlistPolicy;
  readonly check: (before: OpenWaitlistState, events: readonly WaitlistEvent[], after: OpenWaitlistState) => void;
}

/** Plays random steps through the decider: refusals must be domain errors; `check` runs after every accepted command. */
const play = (overrides: Partial<WaitlistPolicy>, steps: readonly Step[], check: Run['check']): void => {
  const policies = waitlistPolicies({ '2025-2026': overrides, '2026-2027': overrides });
  const decider = createWaitlistDecider(policies);
  let now = START;
  let state: Waitlist = decider.evolve(decider.initialState, {
    type: 'WaitlistOpened',
    data: { offeringId: 'o', admission: 'queue', openedAt: START },
  });
  const offerIds: string[] = [];
  steps.forEach((s, i) => {
    if (s.kind === 'wait') {
      now = addDays(now, s.hours / 24);
      return;
    }
    const command = ((): WaitlistCommand => {
      const metadata = { now };
      switch (s.kind) {
        case 'submit':
          return {
            type: 'SubmitApplication',
            data: {
              applicationId: `app-${i}`,
              childId: `child-${s.child}`,
              appliedAt: `2025-03-0${s.day}T${String(s.hour).padStart(2, '0')}:00:00.000Z`,
              birthYear: 2012 + Math.floor(s.born / 2),
              birthMonth: 1 + 5 * (s.born % 2),
              hasPlace: s.hasPlace,
              specialNeeds: s.specialNeeds,
            },
            metadata,
          };
        case 'withdraw': {
          const entry =
            state.status === 'Open'
              ? [...state.entries.values()].find((e) => e.childId === `child-${s.child}`)
              : undefined;
          return { type: 'WithdrawApplication', data: { applicationId: entry?.applicationId ?? 'none' }, metadata };
        }
        case 'offer':
          return { type: 'OfferSeat', data: { offerId: `offer-${i}` }, metadata };
        case 'accept':
        case 'decline':
        case 'expire': {
          const offerId = offerIds[s.offer % Math.max(offerIds.length, 1)] ?? 'none';
          const type = s.kind === 'accept' ? 'AcceptOffer' : s.kind === 'decline' ? 'DeclineOffer' : 'ExpireOffer';
          return { type, data: { offerId }, metadata };
        }
        case 'places':
          return {
            type: 'RecordApplicantPlaces',
            data: { childId: `child-${s.child}`, hasPlace: s.hasPlace },
            metadata,
          };
      }
    })();
    let events: WaitlistEvent[];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      assert.ok(error instanceof DomainError, `a refusal must be a domain error: ${String(error)}`);
      return;
    }
    const before = state;
    state = events.reduce(decider.evolve, state);
    for (const e of events) if (e.type === 'PlaceOffered') offerIds.push(e.data.offerId);
    assert.ok(before.status === 'Open' && state.status === 'Open');
    check(before, events, state);
  });
};

const steps = fc.array(step, { minLength: 1, maxLength: 60 });

describe('waitlist properties over random command sequences', () => {
  it('every seat goes to the child first in the queue by the policy, for the reasons the policy gives', () =>
    fc.assert(
      fc.property(policy, steps, (overrides, run) =>
        play(overrides, run, (before, events) => {
          for (const e of events) {
            if (e.type !== 'PlaceOffered') continue;
            const p = { ...waitlistPolicies()('2025-2026'), ...overrides };
            const [first] = waitingEntries(before).sort((a, b) => compareKeys(referenceKey(a, p), referenceKey(b, p)));
            assert.equal(e.data.applicationId, first?.applicationId);
            assert.equal(e.data.reasons.includes(`applied ${first?.appliedOn}`), true);
            assert.equal(
              e.data.reasons.includes(first?.hasPlace ? 'already has a place' : 'has no place'),
              p.noPlaceFirst,
            );
          }
        }),
      ),
      { numRuns: 300 },
    ));

  it('the queue as ordered is always sorted by the policy’s keys, positions 1..n', () =>
    fc.assert(
      fc.property(policy, steps, (overrides, run) =>
        play(overrides, run, (_before, _events, after) => {
          const p = { ...waitlistPolicies()('2025-2026'), ...overrides };
          const ranked = orderQueue(waitingEntries(after), p);
          ranked.forEach((entry, i) => {
            assert.equal(entry.position, i + 1);
            const next = ranked[i + 1];
            if (next) assert.ok(compareKeys(referenceKey(entry, p), referenceKey(next, p)) < 0);
          });
        }),
      ),
      { numRuns: 300 },
    ));

  it('no child ever holds two offers, or two applications, for one offering', () =>
    fc.assert(
      fc.property(policy, steps, (overrides, run) =>
        play(overrides, run, (_before, _events, after) => {
          const offered = pendingOffers(after).map((o) => o.childId);
          assert.equal(new Set(offered).size, offered.length);
          const applied = [...after.entries.values()].map((e) => e.childId);
          assert.equal(new Set(applied).size, applied.length);
          // The count per child the decider looks up is the entries' own, after every event.
          const counts = new Map<string, number>();
          for (const child of applied) counts.set(child, (counts.get(child) ?? 0) + 1);
          assert.deepEqual(new Map(after.children), counts);
        }),
      ),
      { numRuns: 300 },
    ));

  it('no offer is answered after its deadline, and silence follows what the offer said', () =>
    fc.assert(
      fc.property(policy, steps, (overrides, run) => {
        const offers = new Map<string, { deadline: string; silence: boolean }>();
        play(overrides, run, (before, events) => {
          for (const e of events) {
            if (e.type === 'PlaceOffered')
              offers.set(e.data.offerId, { deadline: e.data.deadline, silence: e.data.silenceMeansAcceptance });
            if (e.type === 'OfferAccepted' && e.data.answer === 'reply') {
              assert.ok(Date.parse(e.data.acceptedAt) < Date.parse(offers.get(e.data.offerId)?.deadline ?? ''));
            }
            if (e.type === 'OfferAccepted' && e.data.answer === 'silence')
              assert.equal(offers.get(e.data.offerId)?.silence, true);
            if (e.type === 'OfferLapsed') assert.equal(offers.get(e.data.offerId)?.silence, false);
          }
          assert.ok(before.status === 'Open');
        });
      }),
      { numRuns: 300 },
    ));
});
