import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMISSION_STEP_REFUSED, AdmissionModule, AdmissionProcessManager, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock, type ProcessStepRefusedData } from '#libs/platform';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule } from '#libs/waitlist';

const AdmissionApp = platformWith(EnrolmentHttpModule, WaitlistHttpModule, AdmissionModule);

describe('admission end to end: an accepted offer that enrolment refuses is on record', () => {
  const clock = new AdjustableClock(new Date('2025-09-01T10:00:00Z'));
  let sut: AppUnderTest;
  let caseworker: string;

  const ok = (response: { status: number; body: unknown }, status: number) => {
    expect({ status: response.status, body: response.body }).toEqual({ status, body: response.body });
    return response.body as Record<string, string>;
  };
  const open = async (subject: string) =>
    ok(
      await sut.request('POST', '/enrolment/offerings', {
        token: caseworker,
        body: {
          ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
          ...{ form: 'individual', capacity: 1, feePerSemesterNok: 2105, schoolYear: '2025-2026' },
        },
      }),
      201,
    ).offeringId as string;
  const ofOffering = async (type: string, offeringId: string) =>
    (await committedEvents(sut.db.pool, [type])).filter(
      (e) => (e.data as { offeringId?: string }).offeringId === offeringId,
    );
  const refusalsOf = async (offeringId: string) =>
    (await committedEvents(sut.db.pool, [ADMISSION_STEP_REFUSED])).filter(
      (e) => e.streamName === `trondheim.admission.process-${offeringId}`,
    );
  /** A child applies to a free seat and is offered it at once; returns the child and the offer. */
  const offered = async (offeringId: string, name: string, born: string) => {
    await eventually(async () => (await ofOffering('WaitlistOpened', offeringId)).length === 1);
    const applied = ok(
      await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
        token: caseworker,
        body: {
          child: { name, nationalId: fodselsnummerFor(born), gender: 'female', district: 'Heimdal' },
          guardian: { name: `Guardian of ${name}`, email: 'guardian@example.no' },
          specialNeeds: false,
        },
      }),
      201,
    );
    const [offer] = await eventually(async () => {
      const offers = await ofOffering('PlaceOffered', offeringId);
      return offers.length === 1 ? offers : undefined;
    });
    return { childId: applied.childId as string, offerId: (offer?.data as { offerId: string }).offerId };
  };
  const accept = async (offeringId: string, offerId: string) => {
    ok(
      await sut.request('POST', `/waitlist/offerings/${offeringId}/offers/${offerId}/accept`, { token: caseworker }),
      200,
    );
    const [accepted] = await ofOffering('OfferAccepted', offeringId);
    return accepted?.eventId;
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(AdmissionApp, {
      migrations: [...admissionMigrations, ...personalDataMigrations],
      clock,
    });
    caseworker = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('records the refusal when the child has meanwhile got the most places allowed, once, also on a replay', async () => {
    const flute = await open('Fløyte');
    const { childId, offerId } = await offered(flute, 'Gro', '2014-04-04');
    // While the offer is open, Gro gets two places elsewhere: the most a student may hold.
    for (const subject of ['Harpe', 'Orgel']) {
      const other = await open(subject);
      ok(
        await sut.request('POST', `/enrolment/offerings/${other}/places`, {
          token: caseworker,
          body: { studentId: childId, birthYear: 2014, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
        }),
        201,
      );
    }
    const acceptedId = await accept(flute, offerId);

    const [refusal] = await eventually(async () => {
      const found = await refusalsOf(flute);
      return found.length === 1 ? found : undefined;
    });
    expect(refusal?.data).toEqual({
      manager: 'admission',
      step: 'EnrolStudent',
      trigger: { eventId: acceptedId, type: 'OfferAccepted' },
      target: { stream: `trondheim.enrolment.offering-${flute}`, id: flute },
      refusal: {
        code: 'StudentHoldsTooManyPlaces',
        kind: 'conflict',
        message: `Student ${childId} already holds 2 place(s), the most allowed`,
      },
      refusedAt: clock.now().toISOString(),
    });
    expect(refusal?.metadata.actor).toEqual({ id: 'admission-process', role: 'system' });
    expect(JSON.stringify([refusal?.data, refusal?.metadata])).not.toMatch(/Gro|guardian/);
    expect(await ofOffering('PlaceEnrolled', flute)).toEqual([]);

    // The waitlist records it (who, which offer, why); Gro keeps her position; the seat set aside for her is freed.
    const [refused] = await eventually(async () => {
      const found = await ofOffering('AdmissionRefused', flute);
      return found.length === 1 ? found : undefined;
    });
    expect(refused?.data).toMatchObject({
      offerId,
      childId,
      refusal: { code: 'StudentHoldsTooManyPlaces' },
      entry: 'kept',
    });
    const [released] = await eventually(async () => {
      const found = await ofOffering('SeatReservationReleased', flute);
      return found.length === 1 ? found : undefined;
    });
    expect(released?.data).toMatchObject({ offerId, reason: 'admission refused', freeSeats: 1 });

    // Every event delivered again from the start: the refusal is not recorded twice, and no step is refused anew.
    const before = (await committedEvents(sut.db.pool, [ADMISSION_STEP_REFUSED])).length;
    const manager = sut.app.get(AdmissionProcessManager);
    await manager.onApplicationShutdown();
    await sut.db.pool.query("DELETE FROM subscription_checkpoints WHERE name = 'admission'");
    await manager.onApplicationBootstrap();
    const head = await sut.runtime.store.headPosition();
    await eventually(async () => {
      const { rows } = await sut.db.pool.query<{ position: string }>(
        "SELECT position FROM subscription_checkpoints WHERE name = 'admission'",
      );
      return rows[0] !== undefined && head !== undefined && BigInt(rows[0].position) >= head;
    });
    expect((await committedEvents(sut.db.pool, [ADMISSION_STEP_REFUSED])).length).toBe(before);
    expect(await ofOffering('AdmissionRefused', flute)).toHaveLength(1);
    expect(await ofOffering('SeatReservationReleased', flute)).toHaveLength(1);
  });

  it('records the refusal when the offering was closed before the offer was accepted', async () => {
    const oboe = await open('Obo');
    const { offerId } = await offered(oboe, 'Ida', '2015-05-05');
    const admin = await sut.token('admin');
    ok(await sut.request('POST', `/enrolment/offerings/${oboe}/close`, { token: admin }), 200);
    const acceptedId = await accept(oboe, offerId);

    const [refusal] = await eventually(async () => {
      const found = await refusalsOf(oboe);
      return found.length === 1 ? found : undefined;
    });
    const data = refusal?.data as ProcessStepRefusedData;
    expect([data.step, data.trigger, data.refusal.code]).toEqual([
      'EnrolStudent',
      { eventId: acceptedId, type: 'OfferAccepted' },
      'OfferingIsClosed',
    ]);
    // The closed offering frees the seat set aside and offers it to nobody.
    await eventually(async () => (await ofOffering('SeatReservationReleased', oboe)).length === 1);
    await eventually(async () => (await ofOffering('AdmissionRefused', oboe)).length === 1);
    expect(await ofOffering('SeatReserved', oboe)).toHaveLength(1);
  });
});
