import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { DeciderSpecification } from '#libs/testing';
import type { WaitlistCommand } from './waitlist.commands.js';
import { createWaitlistDecider } from './waitlist.decider.js';
import type { WaitlistEvent } from './waitlist.events.js';
import {
  checkWaitlistRules,
  LINDESNES_QUEUE_ORDER,
  TRONDHEIM_QUEUE_ORDER,
  waitlistPolicies,
  type QueueCriterion,
} from './waitlist.policy.js';
import { firstInQueue, orderQueue, type QueueEntry } from './waitlist-queue.js';
import { offered, offeringId, opened, seatsFreed, submitted, type Applicant } from './waitlist.test-fixtures.js';

// Rule 3 as the README words it, per municipality; Lindesnes' order is set for one school year.
const lindesnes = waitlistPolicies({ '2025-2026': { queueOrder: LINDESNES_QUEUE_ORDER } });
const given = DeciderSpecification.for(createWaitlistDecider(lindesnes));

const NOW = '2025-09-01T10:00:00.000Z';
const IN_7_DAYS = '2025-09-08T22:00:00.000Z';
const offerSeat: WaitlistCommand = { type: 'OfferSeat', data: { offerId: 'offer-1' }, metadata: { now: NOW } };

/** Submitted with the application's own record that the child holds a place in the subject. */
const keeping = (a: Applicant): WaitlistEvent => {
  const event = submitted(a);
  return event.type === 'ApplicationSubmitted'
    ? { ...event, data: { ...event.data, holdsPlaceInSubject: true } }
    : event;
};

const early: Applicant = {
  applicationId: 'app-early',
  childId: 'child-early',
  appliedOn: '2025-01-05',
  born: '2016-01',
};
const old: Applicant = { applicationId: 'app-old', childId: 'child-old', appliedOn: '2025-03-01', born: '2011-04' };
const needs: Applicant = {
  applicationId: 'app-needs',
  childId: 'child-needs',
  appliedOn: '2025-04-01',
  born: '2017-02',
  specialNeeds: true,
};
const second: Applicant = {
  applicationId: 'app-second',
  childId: 'child-second',
  appliedOn: '2025-01-02',
  born: '2010-02',
  hasPlace: true,
};
const continuing: Applicant = {
  applicationId: 'app-continuing',
  childId: 'child-continuing',
  appliedOn: '2025-05-01',
  born: '2018-03',
  hasPlace: true,
};

describe('waitlist order as a policy', () => {
  describe('in Lindesnes (keep existing place → special needs → no place first → oldest first)', () => {
    it('offers the seat to the child keeping its place in the subject before anyone else', () =>
      given([opened(), submitted(early), submitted(needs), submitted(second), keeping(continuing), seatsFreed(1, 1)])
        .when(offerSeat)
        .then([
          offered('offer-1', continuing, NOW, IN_7_DAYS, [
            'keeps its place in the subject',
            'no special needs declared',
            'already has a place',
            'born 2018-03',
          ]),
        ]));

    it('then to declared special needs, ahead of a child with no place who applied earlier', () =>
      given([opened(), submitted(early), submitted(second), submitted(needs), seatsFreed(1, 1)])
        .when(offerSeat)
        .then([
          offered('offer-1', needs, NOW, IN_7_DAYS, [
            'holds no place in the subject',
            'special needs declared',
            'has no place',
            'born 2017-02',
          ]),
        ]));

    it('then to a child with no place before one applying for a second subject, however old', () =>
      given([opened(), submitted(second), submitted(early), seatsFreed(1, 1)])
        .when(offerSeat)
        .then([
          offered('offer-1', early, NOW, IN_7_DAYS, [
            'holds no place in the subject',
            'no special needs declared',
            'has no place',
            'born 2016-01',
          ]),
        ]));

    it('then to the oldest child, whatever day it applied', () =>
      given([opened(), submitted(early), submitted(old), seatsFreed(1, 1)])
        .when(offerSeat)
        .then([
          offered('offer-1', old, NOW, IN_7_DAYS, [
            'holds no place in the subject',
            'no special needs declared',
            'has no place',
            'born 2011-04',
          ]),
        ]));
  });

  describe('in Trondheim (the default, unchanged)', () => {
    it('gives no weight to keeping a place in the subject', () =>
      DeciderSpecification.for(createWaitlistDecider(waitlistPolicies()))([
        opened(),
        submitted(early),
        keeping(continuing),
        seatsFreed(1, 1),
      ])
        .when(offerSeat)
        .then([offered('offer-1', early, NOW, IN_7_DAYS, ['has no place', 'applied 2025-01-05', 'born 2016-01'])]));

    it('orders by no place first, application day, then age', () =>
      assert.deepEqual(waitlistPolicies()('2025-2026').queueOrder, ['noPlaceFirst', 'appliedFirst', 'oldestFirst']));
  });

  describe('the policy', () => {
    it('shows the older switches as the order it names', () => {
      const policy = lindesnes('2025-2026');
      assert.deepEqual(policy.queueOrder, LINDESNES_QUEUE_ORDER);
      assert.equal(policy.specialNeedsPriority, true);
      assert.equal(policy.noPlaceFirst, true);
      assert.deepEqual(lindesnes('2026-2027').queueOrder, TRONDHEIM_QUEUE_ORDER, 'only the year set');
    });

    it('reads switches recorded before the order existed as the order they meant', () =>
      assert.deepEqual(
        waitlistPolicies({ '2025-2026': { noPlaceFirst: false, specialNeedsPriority: true } })('2025-2026').queueOrder,
        ['specialNeeds', 'appliedFirst', 'oldestFirst'],
      ));

    it('refuses an order naming an unknown criterion or one twice', () => {
      assert.match(checkWaitlistRules({ queueOrder: ['siblingsFirst'] })?.message ?? '', /"siblingsFirst" is not one/);
      assert.match(checkWaitlistRules({ queueOrder: ['oldestFirst', 'oldestFirst'] })?.message ?? '', /twice/);
      assert.equal(checkWaitlistRules({ queueOrder: [...LINDESNES_QUEUE_ORDER] }), undefined);
      assert.equal(checkWaitlistRules({ answerDays: 3 }), undefined);
    });
  });
});

// A written-out reference of each criterion, apart from the comparator in waitlist-queue.ts: a key, lower first.
const KEY: Record<QueueCriterion, (e: QueueEntry) => string | number> = {
  keepExistingPlace: (e) => (e.holdsPlaceInSubject ? 0 : 1),
  specialNeeds: (e) => (e.specialNeeds ? 0 : 1),
  noPlaceFirst: (e) => (e.hasPlace ? 1 : 0),
  appliedFirst: (e) => e.appliedOn,
  oldestFirst: (e) => e.born,
};
const keyOf = (e: QueueEntry, order: readonly QueueCriterion[]) => [
  ...order.map((c) => KEY[c](e)),
  Date.parse(e.appliedAt),
  e.applicationId,
];
const compareKeys = (a: readonly (string | number)[], b: readonly (string | number)[]): number => {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i] ?? '', b[i] ?? ''];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};
const REASON: Record<QueueCriterion, (e: QueueEntry) => string> = {
  keepExistingPlace: (e) =>
    e.holdsPlaceInSubject ? 'keeps its place in the subject' : 'holds no place in the subject',
  specialNeeds: (e) => (e.specialNeeds ? 'special needs declared' : 'no special needs declared'),
  noPlaceFirst: (e) => (e.hasPlace ? 'already has a place' : 'has no place'),
  appliedFirst: (e) => `applied ${e.appliedOn}`,
  oldestFirst: (e) => `born ${e.born}`,
};

const entry: fc.Arbitrary<QueueEntry> = fc
  .record({
    day: fc.integer({ min: 1, max: 4 }),
    hour: fc.integer({ min: 6, max: 20 }),
    born: fc.integer({ min: 2008, max: 2012 }),
    specialNeeds: fc.boolean(),
    hasPlace: fc.boolean(),
    holdsPlaceInSubject: fc.boolean(),
  })
  .map(({ day, hour, born, ...flags }) => ({
    applicationId: '',
    childId: '',
    appliedAt: `2025-03-0${day}T${String(hour).padStart(2, '0')}:00:00.000Z`,
    appliedOn: `2025-03-0${day}`,
    born: `${born}-01`,
    ...flags,
  }));
const queue = fc
  .array(entry, { maxLength: 25 })
  .map((entries) => entries.map((e, i) => ({ ...e, applicationId: `app-${i}`, childId: `child-${i}` })));

describe('the queue under either order (property)', () => {
  for (const [name, order] of [
    ['Trondheim', TRONDHEIM_QUEUE_ORDER],
    ['Lindesnes', LINDESNES_QUEUE_ORDER],
  ] as const) {
    it(`is sorted by ${name}'s criteria and explains each position by them`, () =>
      fc.assert(
        fc.property(queue, (entries) => {
          const policy = waitlistPolicies({ '2025-2026': { queueOrder: order } })('2025-2026');
          const ranked = orderQueue(entries, policy);
          assert.equal(ranked.length, entries.length);
          ranked.forEach((e, i) => {
            assert.equal(e.position, i + 1);
            assert.deepEqual(
              e.reasons,
              order.map((c) => REASON[c](e)),
            );
            const next = ranked[i + 1];
            if (next) assert.ok(compareKeys(keyOf(e, order), keyOf(next, order)) < 0);
          });
        }),
        { numRuns: 300 },
      ));
  }

  it('has as its head, found in one pass (firstInQueue), the first of the sorted queue with its reasons', () =>
    fc.assert(
      fc.property(
        queue,
        fc.shuffledSubarray([...LINDESNES_QUEUE_ORDER, 'appliedFirst'] as QueueCriterion[]),
        (entries, order) => {
          const policy = waitlistPolicies({ '2025-2026': { queueOrder: order } })('2025-2026');
          assert.deepEqual(firstInQueue(entries, policy), orderQueue(entries, policy)[0]);
        },
      ),
      { numRuns: 300 },
    ));

  it('is the order the decider offers seats in, for any order of the criteria', () =>
    fc.assert(
      fc.property(
        queue,
        fc.shuffledSubarray([...LINDESNES_QUEUE_ORDER, 'appliedFirst'] as QueueCriterion[]),
        (entries, order) => {
          const policies = waitlistPolicies({ '2025-2026': { queueOrder: order } });
          const events: WaitlistEvent[] = [
            opened(),
            ...entries.map((e): WaitlistEvent => ({ type: 'ApplicationSubmitted', data: { offeringId, ...e } })),
          ];
          const decider = createWaitlistDecider(policies);
          const state = events.reduce(decider.evolve, decider.initialState);
          const [head] = orderQueue(entries, policies('2025-2026'));
          if (!head) return;
          const [offer] = decider.decide(offerSeat, state);
          assert.equal(offer?.type === 'PlaceOffered' && offer.data.applicationId, head.applicationId);
        },
      ),
      { numRuns: 200 },
    ));
});
