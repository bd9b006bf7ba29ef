import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
  const applicationIds: string[] = [];
  const waitlistStream = () => `trondheim.waitlist.offering-${offeringId}`;
  const offerTo = (n: number, day: number) => {
    const applicationId = applicationIds[n - 1] ?? '';
    const offerId = randomUUID();
    return testEvent('trondheim', 'PlaceOffered', {
      ...{ offeringId, offerId, applicationId, childId: `child-${n}`, offeredAt: '2025-09-01T08:00:00.000Z' },
      ...{ deadline: `2025-09-${10 + day}T22:00:00.000Z`, basis: 'queue', reasons: [], silenceMeansAcceptance: true },
    });
  };

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
    applicationIds.push(...applications.map((e) => (e.data as { applicationId: string }).applicationId));
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

  it('pages outstanding offers, nearest deadline first', async () => {
    await eventually(async () => (await queue('')).total === 5);
    // Offers to the 5th and the 1st child; the 1st's deadline is the nearer.
    await sut.runtime.store.appendToStream(waitlistStream(), [offerTo(5, 5), offerTo(1, 1)], {
      expectedRevision: 'any',
    });
    type Offers = { total: number; items: { childId: string; childName?: string }[] };
    const offers = async (query: string) => {
      const response = await sut.request('GET', `/waitlist/queue/offers?offeringId=${offeringId}${query}`, { token });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as Offers;
    };
    await eventually(async () => (await offers('')).total === 2);
    const first = await offers('&limit=1');
    assert.deepEqual(
      first.items.map((o) => o.childId),
      ['child-1'],
    );
    assert.equal(first.total, 2);
    assert.deepEqual(
      (await offers('&limit=1&offset=1')).items.map((o) => o.childId),
      ['child-5'],
    );
    assert.equal(
      (await offers('')).items[0]?.childName,
      undefined,
      'no names unless asked (the admission e2e reads them)',
    );
  });

  it('shows a child passed over after a refused admission in its position, and why, until it gives a place up', async () => {
    const refused = testEvent('trondheim', 'AdmissionRefused', {
      ...{ offeringId, offerId: randomUUID(), applicationId: applicationIds[1], childId: 'child-2' },
      ...{ refusal: { code: 'StudentHoldsTooManyPlaces', message: 'holds 2 places' }, entry: 'kept' },
      refusedAt: '2025-09-02T08:00:00.000Z',
    });
    await sut.runtime.store.appendToStream(waitlistStream(), [refused], { expectedRevision: 'any' });
    type Item = { childId: string; position: number; passedOver: string | null; lastAdmissionRefusal: unknown };
    const child2 = async () => ((await queue('')).items as Item[]).find((i) => i.childId === 'child-2');
    await eventually(async () => (await child2())?.passedOver === 'StudentHoldsTooManyPlaces');
    expect(await child2()).toMatchObject({
      position: 1,
      lastAdmissionRefusal: { code: 'StudentHoldsTooManyPlaces', message: 'holds 2 places' },
    });
    const changed = testEvent('trondheim', 'ApplicantPlacesChanged', {
      ...{ offeringId, applicationId: applicationIds[1], childId: 'child-2', hasPlace: true },
      ...{ changedAt: '2025-09-03T08:00:00.000Z', placeGivenUp: true },
    });
    await sut.runtime.store.appendToStream(waitlistStream(), [changed], { expectedRevision: 'any' });
    await eventually(async () => (await child2())?.passedOver === null);
  });
});
