import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { orderQueue, type QueueEntry } from './waitlist-queue.js';
import { trondheimWaitlistPolicy } from './waitlist.policy.js';

const entry = (id: string, appliedAt: string, born: string, extra: Partial<QueueEntry> = {}): QueueEntry => ({
  applicationId: id,
  childId: `child-${id}`,
  appliedAt,
  appliedOn: appliedAt.slice(0, 10),
  born,
  specialNeeds: false,
  hasPlace: false,
  ...extra,
});

const ids = (entries: readonly QueueEntry[]) => entries.map((e) => e.applicationId);

describe('orderQueue', () => {
  const early = entry('early', '2025-01-10T12:00:00Z', '2016-03');
  const lateOld = entry('late-old', '2025-02-01T12:00:00Z', '2012-01');
  const sameDayOlder = entry('same-day-older', '2025-01-10T15:00:00Z', '2014-07');
  const hasPlace = entry('has-place', '2024-11-01T12:00:00Z', '2011-01', { hasPlace: true });
  const specialNeeds = entry('special-needs', '2025-03-01T12:00:00Z', '2017-01', { specialNeeds: true });

  it('puts children with no place first, then the earliest application day, then the oldest', () =>
    assert.deepEqual(ids(orderQueue([hasPlace, lateOld, early, sameDayOlder], trondheimWaitlistPolicy)), [
      'same-day-older',
      'early',
      'late-old',
      'has-place',
    ]));

  it('gives every entry its position and the reasons for it', () =>
    assert.deepEqual(
      orderQueue([hasPlace, early], trondheimWaitlistPolicy).map(({ applicationId, position, reasons }) => ({
        applicationId,
        position,
        reasons,
      })),
      [
        { applicationId: 'early', position: 1, reasons: ['has no place', 'applied 2025-01-10', 'born 2016-03'] },
        {
          applicationId: 'has-place',
          position: 2,
          reasons: ['already has a place', 'applied 2024-11-01', 'born 2011-01'],
        },
      ],
    ));

  it('orders by application day alone when having a place does not count', () =>
    assert.deepEqual(ids(orderQueue([early, hasPlace], { noPlaceFirst: false, specialNeedsPriority: false })), [
      'has-place',
      'early',
    ]));

  it('puts declared special needs first when the policy gives them priority', () => {
    const ranked = orderQueue([early, specialNeeds, hasPlace], { noPlaceFirst: true, specialNeedsPriority: true });
    assert.deepEqual(ids(ranked), ['special-needs', 'early', 'has-place']);
    assert.deepEqual(ranked[0]?.reasons, [
      'special needs declared',
      'has no place',
      'applied 2025-03-01',
      'born 2017-01',
    ]);
  });

  it('ignores special needs when the policy does not give them priority', () =>
    assert.deepEqual(ids(orderQueue([specialNeeds, early], trondheimWaitlistPolicy)), ['early', 'special-needs']));

  it('breaks a tie on every key by arrival time, then by id', () => {
    const first = entry('b', '2025-01-10T08:00:00Z', '2016-03');
    const second = entry('a', '2025-01-10T09:00:00Z', '2016-03');
    const third = entry('c', '2025-01-10T09:00:00Z', '2016-03');
    assert.deepEqual(ids(orderQueue([third, second, first], trondheimWaitlistPolicy)), ['b', 'a', 'c']);
  });

  it('leaves its input untouched', () => {
    const input = [hasPlace, early];
    orderQueue(input, trondheimWaitlistPolicy);
    assert.deepEqual(ids(input), ['has-place', 'early']);
  });
});
