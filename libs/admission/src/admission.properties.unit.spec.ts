import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addCalendarDays, dayBefore, osloDate } from '#libs/calendar';
import { freeSeats, seatsTaken, type Offering } from '#libs/enrolment';
import { pendingOffers, type Waitlist } from '#libs/waitlist';
import {
  AdmissionModel,
  START,
  type Fault,
  type Observer,
  type Outside,
  type Recorded,
  type Step,
} from './admission-model.test-support.js';

/*
 * Issue 12, "admission never loses a seat": the offering, waitlist and student deciders driven by random outside
 * commands, with admission's reactions in between (the model in admission-model.test-support.ts). The last describe
 * switches on one fault at a time and checks the property that guards against it fails, so no check here is vacuous.
 */

const child = fc.nat(7);
const outside: fc.Arbitrary<Outside> = fc.oneof(
  {
    weight: 15,
    arbitrary: fc.record({
      kind: fc.constant('apply' as const),
      child,
      hoursAgo: fc.nat(72),
      specialNeeds: fc.boolean(),
      hasPlace: fc.boolean(),
    }),
  },
  {
    weight: 15,
    arbitrary: fc.record({ kind: fc.constant('answer' as const), offer: fc.nat(20), accept: fc.boolean() }),
  },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('wait' as const), days: fc.nat(9), hours: fc.nat(23) }) },
  { weight: 9, arbitrary: fc.record({ kind: fc.constant('enrol' as const), child }) },
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('withdraw' as const),
      place: fc.nat(9),
      lastDayIn: fc.integer({ min: -20, max: 30 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      place: fc.nat(9),
      effectiveIn: fc.integer({ min: -10, max: 30 }),
    }),
  },
  {
    weight: 9,
    arbitrary: fc.record({ kind: fc.constant('capacity' as const), capacity: fc.integer({ min: 1, max: 6 }) }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('withdrawApplication' as const), child }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('admissionCatchesUp' as const), events: fc.integer({ min: 1, max: 4 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const) }) },
);
// Mostly admission catches up after each step; now and then the next step races ahead of it (shrinks to catching up).
const step: fc.Arbitrary<Step> = fc.record({ outside, settle: fc.nat(4).map((n) => n < 4) });
// size 'max': long runs, where offers lapse, seats come back and children queue again.
const steps = fc.array(step, { maxLength: 50, size: 'max' });
const capacity = fc.integer({ min: 1, max: 4 });

const NUM_RUNS = 200;

interface Checks {
  readonly observe?: Observer;
  /** Whenever admission has caught up (after a step, and at the end). */
  readonly settled?: (model: AdmissionModel) => void;
  readonly end?: (model: AdmissionModel) => void;
}

const play = (initialCapacity: number, run: readonly Step[], faults: ReadonlySet<Fault>, checks: Checks) => {
  const model = new AdmissionModel(initialCapacity, faults, checks.observe);
  for (const s of run) {
    model.run(s);
    if (model.settled) checks.settled?.(model);
  }
  model.settle();
  checks.settled?.(model);
  checks.end?.(model);
};

const openOffering = (offering: Offering) => {
  assert.ok(offering.status !== 'NotOpened');
  return offering;
};
const openWaitlist = (waitlist: Waitlist) => {
  assert.ok(waitlist.status === 'Open');
  return waitlist;
};

/**
 * The places counting on each day of the run (from their first day through their last, as the events say) against
 * the capacity in force at the end of that day: every place counting on a day still holds its seat at the day's end
 * (a place that ends keeps its seat through its last day), so a lowered capacity is compared as soon as it holds.
 */
const checkPlacesPerDay = (log: readonly Recorded[], lastDay: string) => {
  const places = new Map<string, { from: string; through: string | null }>();
  const capacityAtEndOf = new Map<string, number>();
  for (const { stream, event } of log) {
    if (stream !== 'offering') continue;
    switch (event.type) {
      case 'OfferingOpened':
        capacityAtEndOf.set(osloDate(event.data.openedAt), event.data.capacity);
        break;
      case 'CapacityChanged':
        capacityAtEndOf.set(osloDate(event.data.changedAt), event.data.capacity);
        break;
      case 'PlaceEnrolled':
        places.set(event.data.placeId, { from: event.data.startsOn ?? osloDate(event.data.enrolledAt), through: null });
        break;
      case 'PlaceWithdrawn':
      case 'PlaceTransferredOut': {
        const place = places.get(event.data.placeId);
        assert.ok(place, `${event.type} of a place never enrolled`);
        const through = event.type === 'PlaceWithdrawn' ? event.data.effectiveOn : dayBefore(event.data.effectiveOn);
        places.set(event.data.placeId, { ...place, through });
        break;
      }
      default:
        break;
    }
  }
  let capacityInForce = 0;
  for (let day = osloDate(START); day <= lastDay; day = addCalendarDays(day, 1)) {
    capacityInForce = capacityAtEndOf.get(day) ?? capacityInForce;
    const counting = [...places].filter(([, p]) => p.from <= day && (p.through === null || day <= p.through));
    assert.ok(
      counting.length <= capacityInForce,
      `${counting.length} places count on ${day} (${counting.map(([id]) => id).join(', ')}), capacity ${capacityInForce}`,
    );
  }
};

const properties = {
  capacity: (faults: ReadonlySet<Fault>) =>
    fc.property(capacity, steps, (initial, run) =>
      play(initial, run, faults, {
        observe: ({ stream }, _before, after) => {
          if (stream !== 'offering') return;
          const offering = openOffering(after as Offering);
          assert.ok(
            seatsTaken(offering) <= offering.capacity,
            `${seatsTaken(offering)} seats taken of ${offering.capacity}`,
          );
        },
        end: (model) => checkPlacesPerDay(model.log, osloDate(model.now)),
      }),
    ),

  acceptedOffers: (faults: ReadonlySet<Fault>) =>
    fc.property(capacity, steps, (initial, run) =>
      play(initial, run, faults, {
        settled: (model) => {
          const reservations = openOffering(model.offering).reservations ?? {};
          for (const { event } of model.log) {
            if (event.type !== 'OfferAccepted') continue;
            const { offerId } = event.data;
            const placed = model.log.filter(
              (r) => r.event.type === 'PlaceEnrolled' && r.event.data.viaOfferId === offerId,
            );
            const refused = model.log.filter(
              (r) => r.event.type === 'AdmissionRefused' && r.event.data.offerId === offerId,
            );
            assert.equal(
              placed.length + refused.length,
              1,
              `offer ${offerId}: ${placed.length} places, ${refused.length} refusals`,
            );
            assert.equal(
              reservations[offerId],
              placed.length === 1 ? 'filled' : 'released',
              `the seat of offer ${offerId}`,
            );
          }
        },
      }),
    ),

  noSeatLeftUnoffered: (faults: ReadonlySet<Fault>) =>
    fc.property(capacity, steps, (initial, run) =>
      play(initial, run, faults, {
        settled: (model) => {
          const offering = openOffering(model.offering);
          if (offering.status !== 'Open' || freeSeats(offering) < 1) return;
          assert.equal(
            model.wouldOffer(),
            null,
            `${freeSeats(offering)} seats free while ${AdmissionModel.queueHead(model.waitlist)?.childId} waits`,
          );
        },
      }),
    ),

  queueOrder: (faults: ReadonlySet<Fault>) =>
    fc.property(capacity, steps, (initial, run) =>
      play(initial, run, faults, {
        observe: ({ event }, before) => {
          if (event.type !== 'PlaceOffered') return;
          const head = AdmissionModel.queueHead(before as Waitlist);
          assert.equal(event.data.applicationId, head?.applicationId, `offer ${event.data.offerId} skipped the head`);
        },
      }),
    ),

  seatsUnderOffer: (faults: ReadonlySet<Fault>) =>
    fc.property(capacity, steps, (initial, run) =>
      play(initial, run, faults, {
        settled: (model) => {
          const reservations = openOffering(model.offering).reservations ?? {};
          const held = Object.keys(reservations).filter((offerId) => reservations[offerId] === 'held');
          const pending = pendingOffers(openWaitlist(model.waitlist)).map((o) => o.offerId);
          assert.deepEqual(held.sort(), pending.sort(), 'seats held for offers, against the offers pending');
        },
      }),
    ),
};

describe('admission over random command sequences (issue 12: admission never loses a seat)', () => {
  it('never counts more seats or places than the capacity, now or on any day of the run', () =>
    fc.assert(properties.capacity(new Set()), { numRuns: NUM_RUNS }));

  it('turns every accepted offer into a place or a recorded refusal, and leaves none of their seats held', () =>
    fc.assert(properties.acceptedOffers(new Set()), { numRuns: NUM_RUNS }));

  it('leaves no seat of an open offering free while the waitlist has a child to offer it to', () =>
    fc.assert(properties.noSeatLeftUnoffered(new Set()), { numRuns: NUM_RUNS }));

  it('offers every seat to the child first in the queue at that moment', () =>
    fc.assert(properties.queueOrder(new Set()), { numRuns: NUM_RUNS }));

  it('holds a seat for exactly the offers still waiting for an answer', () =>
    fc.assert(properties.seatsUnderOffer(new Set()), { numRuns: NUM_RUNS }));
});

describe('each property fails when the fault it guards against is switched on', () => {
  // The failure must be the property's own assertion, not any error the fault happens to cause.
  const cases: [Fault, keyof typeof properties, RegExp][] = [
    ['direct-enrolment-overbooks', 'capacity', /seats taken of/],
    ['withdrawal-frees-seat-at-once', 'capacity', /places count on/],
    ['refused-enrolment-ignored', 'acceptedOffers', /0 places, 0 refusals/],
    ['released-seats-not-offered', 'noSeatLeftUnoffered', /seats free while child-\d waits/],
    ['offer-to-queue-tail', 'queueOrder', /skipped the head/],
    ['declined-offer-keeps-seat', 'seatsUnderOffer', /seats held for offers, against the offers pending/],
  ];
  it.each(cases)('%s breaks %s', (fault, property, failure) => {
    const run = fc.check(properties[property](new Set([fault])), { numRuns: 1000, endOnFailure: true });
    expect(run.failed).toBe(true);
    expect(String(run.errorInstance)).toMatch(failure);
  });
});
