import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { personalDataMigrations } from '#libs/personal-data';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import {
  eventually,
  platformWith,
  sampleOfferingOpened,
  startAppUnderTest,
  testEvent,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistReadModule } from '../waitlist.module.js';
import { waitlistQueueProjection } from './waitlist-queue.projection.js';

describe('the waitlist queue, filtered', () => {
  let sut: AppUnderTest;
  let token: string;
  const offeringId = randomUUID();

  beforeAll(async () => {
    sut = await startAppUnderTest(
      platformWith(
        WaitlistReadModule,
        ProjectionsModule.register({ projections: [waitlistQueueProjection], run: true, idleMs: 10 }),
      ),
      { migrations: [...projectionsMigrations, ...personalDataMigrations] },
    );
    token = await sut.token('caseworker');
    const opened = sampleOfferingOpened({ offeringId });
    await sut.runtime.store.appendToStream(
      `trondheim.enrolment.offering-${offeringId}`,
      [testEvent('trondheim', 'OfferingOpened', opened)],
      { expectedRevision: 'any' },
    );
    // Five children without a place, in the order they applied; the 3rd and 4th live in Heimdal.
    const districts = ['Østbyen', 'Midtbyen', 'Heimdal', 'Heimdal', 'Lerkendal'];
    const applications = districts.map((district, n) => {
      const appliedOn = `2025-0${n + 1}-10`;
      return testEvent('trondheim', 'ApplicationSubmitted', {
        ...{ offeringId, applicationId: randomUUID(), childId: `child-${n + 1}`, appliedOn },
        ...{ appliedAt: `${appliedOn}T08:00:00.000Z`, born: '2016-04', specialNeeds: false, hasPlace: false },
        dimensions: { gender: 'female', district, school: null },
      });
    });
    await sut.runtime.store.appendToStream(`trondheim.waitlist.offering-${offeringId}`, applications, {
      expectedRevision: 'any',
    });
  });
  afterAll(async () => sut.close());

  type Queue = { total: number; items: { childId: string; position: number }[] };
  const queue = async (query: string) => {
    const response = await sut.request('GET', `/waitlist/queue?offeringId=${offeringId}${query}`, { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body as Queue;
  };

  it('keeps each child’s position in the whole queue when filtered by district', async () => {
    await eventually(async () => (await queue('')).total === 5); // all five projected
    const heimdal = await queue('&district=Heimdal');
    assert.equal(heimdal.total, 2);
    assert.deepEqual(
      heimdal.items.map((item) => [item.childId, item.position]),
      [
        ['child-3', 3],
        ['child-4', 4],
      ],
    );
    const whole = await queue('');
    assert.deepEqual(
      whole.items.map((item) => item.position),
      [1, 2, 3, 4, 5],
    );
  });
});
