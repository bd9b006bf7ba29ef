import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule, offeringStream } from '#libs/enrolment';
import type { RecordedEvent } from '#libs/event-store';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import {
  eventually,
  fodselsnummerFor,
  platformWith,
  registerPerson,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

const AdmissionApp = platformWith(EnrolmentHttpModule, WaitlistHttpModule, AdmissionModule, PersonalDataHttpModule);

const CAPACITY = 8;

/** Folds the offering stream by hand and checks the capacity at every revision, not only at the end. */
const placesAtEveryRevision = (events: RecordedEvent[]): number[] => {
  const held = new Set<string>();
  return events.map((event) => {
    const placeId = (event.data as { placeId?: string }).placeId ?? '';
    if (event.type === 'PlaceEnrolled') held.add(placeId);
    if (event.type === 'PlaceWithdrawn' || event.type === 'PlaceTransferredOut') held.delete(placeId);
    return held.size;
  });
};

describe('admission under racing commands', () => {
  let sut: AppUnderTest;
  let token: string;
  let offeringId: string;
  const offeringEvents = () => sut.runtime.store.readStream(offeringStream('trondheim', offeringId));

  beforeAll(async () => {
    // In the school year of the offering: a year that has ended offers no seats.
    sut = await startAppUnderTest(AdmissionApp, {
      migrations: [...admissionMigrations, ...personalDataMigrations],
      clock: new AdjustableClock(new Date('2026-01-05T10:00:00Z')),
    });
    token = await sut.token('caseworker');
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token,
      body: {
        subject: 'Trommer',
        subjectGroup: 'music',
        programme: 'core',
        location: 'Byåsen',
        district: 'Lerkendal',
        form: 'group',
        capacity: CAPACITY,
        feePerSemesterNok: 2105,
        schoolYear: '2025-2026',
      },
    });
    offeringId = (opened.body as { offeringId: string }).offeringId;
  });
  afterAll(async () => sut.close());

  it('lets exactly as many of 24 parallel enrolments succeed as there are seats, compensating the rest', async () => {
    const students: string[] = [];
    for (let n = 0; n < 24; n++) students.push(await registerPerson(sut, token, { birthYear: 2013 }));
    const results = await Promise.all(
      students.map((studentId) =>
        sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
          token,
          body: { studentId, birthYear: 2013, gender: 'female', district: 'Lerkendal', school: 'Byåsen skole' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, CAPACITY);
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(','),
    );
    assert.ok(placesAtEveryRevision(await offeringEvents()).every((held) => held <= CAPACITY));
    // A refused student holds no place: taken and given back, or never taken.
    for (const [index, studentId] of students.entries()) {
      const events = await sut.runtime.store.readStream(`trondheim.enrolment.student-${studentId}`);
      const net =
        events.filter((e) => e.type === 'StudentPlaceTaken').length -
        events.filter((e) => e.type === 'StudentPlaceGivenUp').length;
      assert.equal(net, results[index]?.status === 201 ? 1 : 0, `student ${index}`);
    }
  });

  it('never exceeds capacity nor loses an event while withdrawals and accepts race', async () => {
    for (let n = 0; n < 12; n++) {
      const response = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
        token,
        body: {
          child: {
            name: `Barn ${n}`,
            nationalId: fodselsnummerFor('2014-03-0' + ((n % 9) + 1), n),
            gender: 'male',
            district: 'Lerkendal',
          },
          guardian: { name: 'Foresatt', email: 'f@example.no' },
          specialNeeds: false,
          appliedAt: new Date(Date.UTC(2025, 0, 1 + n)).toISOString(),
        },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
    }
    const placeIds = (await offeringEvents())
      .filter((e) => e.type === 'PlaceEnrolled')
      .map((e) => (e.data as { placeId: string }).placeId);
    const withdrawals = placeIds.slice(0, 5).map((placeId) =>
      sut.request('POST', `/enrolment/offerings/${offeringId}/places/${placeId}/withdraw`, {
        token,
        body: { effectiveOn: '2025-12-31' },
      }),
    );
    // Accept every offer as soon as it appears, several at once, while withdrawals are still running.
    const accepted = new Set<string>();
    const acceptLoop = async () => {
      for (let round = 0; round < 200 && accepted.size < 5; round++) {
        const offers = (await sut.runtime.store.readStream(`trondheim.waitlist.offering-${offeringId}`))
          .filter((e) => e.type === 'PlaceOffered')
          .map((e) => (e.data as { offerId: string }).offerId)
          .filter((id) => !accepted.has(id));
        await Promise.all(
          offers.map(async (offerId) => {
            const answer = await sut.request('POST', `/waitlist/offerings/${offeringId}/offers/${offerId}/accept`, {
              token,
            });
            if (answer.status === 200) accepted.add(offerId);
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const [withdrawn] = await Promise.all([Promise.all(withdrawals), acceptLoop()]);
    assert.ok(withdrawn.every((r) => r.status === 200));
    assert.equal(accepted.size, 5, 'five seats freed, five offers accepted');

    const events = await eventually(async () => {
      const all = await offeringEvents();
      return all.filter((e) => e.type === 'PlaceEnrolled').length === CAPACITY + 5 ? all : undefined;
    });
    const held = placesAtEveryRevision(events);
    assert.ok(
      held.every((n) => n <= CAPACITY),
      `capacity held at every revision: ${held.join(',')}`,
    );
    assert.equal(held.at(-1), CAPACITY);
    const viaOffers = events
      .filter((e) => e.type === 'PlaceEnrolled')
      .map((e) => (e.data as { viaOfferId: string | null }).viaOfferId);
    assert.deepEqual(new Set(viaOffers.filter(Boolean)), accepted, 'each accepted offer became exactly one place');
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, 'no doubled event');
  });
});
