import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { streamName } from '#libs/event-store';
import { personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { eventually, platformWith, startAppUnderTest, testEvent, type AppUnderTest } from '#libs/testing';
import type { ChildPayerRegistered, SemesterFeesAssessed } from '../domain/index.js';
import { fundingMigrations } from '../funding.migrations.js';
import { FundingModule } from '../funding.module.js';
import { childPayerStream, householdStream } from '../shared/funding-streams.js';

const TENANT = 'trondheim';
const YEAR = '2025-2026';

/** The funding process, driven from the store: a place from an application is billed to the application's payer. */
describe('funding process: the payer of a place from an application', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T08:00:00Z'));
  let sut: AppUnderTest;
  let offeringId: string;

  const append = async (stream: string, type: string, data: object) => {
    const event = testEvent(TENANT, type, data, { actor: { id: 'cw-1', role: 'caseworker' } });
    await sut.runtime.store.appendToStream(stream, [event], { expectedRevision: 'any' });
  };
  const offering = (id: string) => streamName(TENANT, 'enrolment', 'offering', id);
  const waitlist = (id: string) => streamName(TENANT, 'waitlist', 'waitlist', id);
  /** An application (with its payer, if any), an offer on it, and the place the accepted offer became. */
  const placeFromApplication = async (childId: string, payer?: { payerId: string; source: 'applicant' | 'named' }) => {
    const [applicationId, offerId, placeId] = [randomUUID(), randomUUID(), randomUUID()];
    await append(waitlist(offeringId), 'ApplicationSubmitted', {
      ...{ offeringId, applicationId, childId, appliedAt: '2025-08-01T08:00:00Z', appliedOn: '2025-08-01' },
      ...{ born: '2014-04', specialNeeds: false, hasPlace: false, ...(payer ? { payer } : {}) },
    });
    await append(waitlist(offeringId), 'PlaceOffered', {
      ...{ offeringId, applicationId, childId, offerId, offeredAt: '2025-08-10T08:00:00Z' },
      ...{ deadline: '2025-08-17T22:00:00Z', basis: 'queue', reasons: [], silenceMeansAcceptance: true },
    });
    await append(offering(offeringId), 'PlaceEnrolled', {
      ...{ offeringId, placeId, studentId: childId, birthYear: 2014, gender: 'female', district: 'Heimdal' },
      ...{ school: 'Huseby skole', subjectGroup: 'music', programme: 'core', enrolledAt: '2025-08-20T08:00:00Z' },
      ...{ viaOfferId: offerId, transferredFrom: null },
    });
    return { applicationId, placeId };
  };
  const registrations = async (childId: string) =>
    (await sut.runtime.store.readStream(childPayerStream(TENANT, childId))).map(
      (e) => e.data as ChildPayerRegistered['data'],
    );
  const autumnFees = (payerId: string) =>
    eventually(async () => {
      const history = await sut.runtime.store.readStream(householdStream(TENANT, payerId));
      return history.map((e) => e.data as SemesterFeesAssessed['data']).find((a) => a.term === 'autumn');
    });
  // Caught up when no event the manager reads lies beyond its checkpoint.
  const caughtUp = () =>
    eventually(async () => {
      const { rowCount } = await sut.db.pool.query(
        `SELECT 1 FROM es_events WHERE event_type = ANY ($1) AND position >
           coalesce((SELECT position FROM subscription_checkpoints WHERE name = 'funding'), 0) LIMIT 1`,
        [['OfferingOpened', 'ApplicationSubmitted', 'PlaceOffered', 'PlaceEnrolled', 'ChildPayerRegistered']],
      );
      return rowCount === 0;
    });

  beforeAll(async () => {
    sut = await startAppUnderTest(platformWith(FundingModule), {
      migrations: [...personalDataMigrations, ...fundingMigrations],
      clock,
    });
    offeringId = randomUUID();
    await append(offering(offeringId), 'OfferingOpened', {
      ...{ offeringId, subject: 'Piano', subjectGroup: 'music', programme: 'core', location: 'Huseby' },
      ...{ district: 'Heimdal', form: 'individual', feePerSemesterNok: 2105, schoolYear: YEAR, capacity: 10 },
      openedAt: '2025-06-01T08:00:00Z',
    });
  });
  afterAll(async () => sut.close());

  it('registers the guardian who applied as the payer and bills the place to her', async () => {
    const [childId, guardian] = [randomUUID(), randomUUID()];
    const { applicationId, placeId } = await placeFromApplication(childId, { payerId: guardian, source: 'applicant' });
    const [registered] = await eventually(async () => {
      const found = await registrations(childId);
      return found.length === 1 ? found : undefined;
    });
    assert.deepEqual(registered && { ...registered, registeredAt: undefined }, {
      ...{
        childId,
        payerId: guardian,
        previousPayerId: null,
        registeredBy: 'funding-process',
        registeredAt: undefined,
      },
      ...{ source: 'applicant', applicationId, placeId },
    });
    const autumn = await autumnFees(guardian);
    assert.deepEqual(
      autumn?.lines.map((l) => [l.placeId, l.kind, l.amount]),
      [[placeId, 'BaseFee', 210_500]],
    );
  });

  it('registers the payer the application named', async () => {
    const [childId, named] = [randomUUID(), randomUUID()];
    await placeFromApplication(childId, { payerId: named, source: 'named' });
    const found = await eventually(async () => {
      const all = await registrations(childId);
      return all.length === 1 ? all : undefined;
    });
    assert.deepEqual(
      found.map((r) => [r.payerId, r.source]),
      [[named, 'named']],
    );
  });

  it('keeps a payer already registered for the child', async () => {
    const [childId, registered, guardian] = [randomUUID(), randomUUID(), randomUUID()];
    await append(childPayerStream(TENANT, childId), 'ChildPayerRegistered', {
      ...{ childId, payerId: registered, previousPayerId: null, registeredBy: 'cw-1' },
      ...{ registeredAt: '2025-08-01T08:00:00Z', source: 'caseworker' },
    });
    await placeFromApplication(childId, { payerId: guardian, source: 'applicant' });
    await caughtUp();
    assert.deepEqual(
      (await registrations(childId)).map((r) => r.payerId),
      [registered],
    );
    assert.equal((await sut.runtime.store.readStream(householdStream(TENANT, guardian))).length, 0);
  });

  it('registers no payer for an application that gave none', async () => {
    const childId = randomUUID();
    await placeFromApplication(childId);
    await caughtUp();
    assert.deepEqual(await registrations(childId), []);
  });
});
