import assert from 'node:assert/strict';
import { statisticsCaughtUp } from '../fixtures/caught-up.js';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { sampleOfferingOpened, testEvent, type AppUnderTest } from '#libs/testing';
import { startStatisticsApp } from '../fixtures/statistics-app.js';

/**
 * Property (issue 14): a child registered twice (a D-number, then a fødselsnummer) whose registrations were merged
 * counts once in every figure; registrations not merged still count apart. Each run is its own tenant.
 */
type Child = { registrations: 1 | 2; merged: boolean; places: number[]; waits: number[]; pupil: number | null };

const child: fc.Arbitrary<Child> = fc.record({
  registrations: fc.constantFrom(1 as const, 2 as const),
  merged: fc.boolean(),
  // Which registration (0 or 1) each place, application or Kulturdag registration was made under.
  places: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 }),
  waits: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 }),
  pupil: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
});

const AT = '2025-09-02T08:00:00.000Z';
const DAY = '2025-09-10';

describe('statistics after person merges', () => {
  let sut: AppUnderTest;
  let runs = 0;

  beforeAll(async () => {
    sut = await startStatisticsApp();
  });
  afterAll(async () => sut.close());

  const caughtUp = () => statisticsCaughtUp(sut.db.pool);

  const record = async (tenant: string, children: readonly Child[]) => {
    const append = (stream: string, type: string, data: Record<string, unknown>) =>
      sut.runtime.store.appendToStream(`${tenant}.${stream}`, [testEvent(tenant, type, data, { occurredAt: AT })], {
        expectedRevision: 'any',
      });
    // Offerings enough for every place and application to have its own.
    for (let o = 0; o < 4 * children.length; o++)
      await append(`enrolment.offering-o${o}`, 'OfferingOpened', sampleOfferingOpened({ offeringId: `o${o}` }));
    await append('enrolment.kulturdag-k_2025-2026', 'SchoolJoinedKulturdag', {
      ...{ schoolId: 'k', schoolYear: '2025-2026', district: 'Østbyen', joinedAt: AT },
    });
    let offering = 0;
    for (const [c, { registrations, merged, places, waits, pupil }] of children.entries()) {
      const id = (r: number) => `c${c}-r${Math.min(r, registrations - 1)}`;
      for (const r of places) {
        const offeringId = `o${offering++}`;
        await append(`enrolment.offering-${offeringId}`, 'PlaceEnrolled', {
          ...{ offeringId, placeId: `${offeringId}-p`, studentId: id(r), birthYear: 2014, gender: 'female' },
          ...{ district: 'Østbyen', school: 's', subjectGroup: 'music', programme: 'core', enrolledAt: AT },
          ...{ viaOfferId: null, transferredFrom: null },
        });
      }
      for (const r of waits) {
        const offeringId = `o${offering++}`;
        await append(`waitlist.offering-${offeringId}`, 'ApplicationSubmitted', {
          ...{ offeringId, applicationId: `${offeringId}-a`, childId: id(r), appliedAt: AT, appliedOn: '2025-09-02' },
          ...{ born: '2014-05-05', specialNeeds: false, hasPlace: false },
        });
      }
      if (pupil !== null)
        await append('enrolment.kulturdag-k_2025-2026', 'KulturdagPupilRegistered', {
          ...{ pupilId: id(pupil), schoolId: 'k', schoolYear: '2025-2026', district: 'Østbyen', birthYear: 2014 },
          registeredAt: '2025-09-01T08:00:00.000Z',
        });
      if (registrations === 2 && merged)
        await append(`people.subject-${id(1)}`, 'PersonMerged', {
          ...{ from: id(1), into: id(0), retiredIds: [id(1)], mergedAt: AT },
        });
    }
  };

  /** The reference: a merged child is one person; otherwise each registration is a person of its own. */
  const expected = (children: readonly Child[]) => {
    const people = (c: number, { registrations, merged }: Child, used: readonly number[]) =>
      new Set(used.map((r) => (merged ? `c${c}` : `c${c}-r${Math.min(r, registrations - 1)}`)));
    const count = (pick: (child: Child) => readonly number[]) =>
      children.reduce((total, one, c) => total + people(c, one, pick(one)).size, 0);
    const places = children.reduce((total, { places }) => total + places.length, 0);
    return {
      students: count((one) => one.places),
      places,
      waitingChildren: count((one) => one.waits),
      // A pupil counts as converted when the same person (after merges) applied for / holds a core place.
      appliedForCore: count((one) =>
        one.pupil === null || !one.waits.some((r) => samePerson(one, r, one.pupil ?? 0)) ? [] : [one.pupil],
      ),
      gotCorePlace: count((one) =>
        one.pupil === null || !one.places.some((r) => samePerson(one, r, one.pupil ?? 0)) ? [] : [one.pupil],
      ),
    };
  };
  const samePerson = ({ registrations, merged }: Child, a: number, b: number) =>
    merged || Math.min(a, registrations - 1) === Math.min(b, registrations - 1);

  it('counts every child once, merged or not, in the summary and in Kulturdag conversion', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(child, { minLength: 1, maxLength: 4 }), async (children) => {
        const tenant = `merges${runs++}`;
        await record(tenant, children);
        await caughtUp();
        const token = await sut.token('auditor', tenant);
        const get = async (path: string) => {
          const response = await sut.request('GET', `${path}?schoolYear=2025-2026&date=${DAY}`, { token });
          assert.equal(response.status, 200, JSON.stringify(response.body));
          return response.body as Record<string, Record<string, number>>;
        };
        const { summary } = await get('/statistics/summary');
        const { totals } = await get('/statistics/kulturdag');
        const want = expected(children);
        assert.deepEqual(
          {
            ...{ students: summary?.students, places: summary?.places, waitingChildren: summary?.waitingChildren },
            ...{ appliedForCore: totals?.appliedForCore, gotCorePlace: totals?.gotCorePlace },
          },
          want,
          JSON.stringify(children),
        );
      }),
      { numRuns: 25, seed: 14 },
    );
    assert.equal(runs, 25);
  });
});
