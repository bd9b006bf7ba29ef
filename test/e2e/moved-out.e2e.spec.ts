import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { ChangeStudentDistrictHandler, EnrolmentHttpModule } from '#libs/enrolment';
import type { RecordedEvent } from '#libs/event-store';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { AdjustableClock } from '#libs/platform';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  registerPerson,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';

const App = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  ProjectionsModule.register({ projections: [waitlistQueueProjection], run: true, idleMs: 20 }),
);

// Rule 1: residence in the municipality. The population register reports a move out; the child stays eligible to the
// end of that semester (Trondheim), its places end then through the withdrawal path, its waitlist entries at once.
describe('a child who moves out of the municipality', () => {
  const clock = new AdjustableClock(new Date('2025-10-20T10:00:00Z'));
  let sut: AppUnderTest;
  let token: string;

  const of = async (type: string, key: string, value: string): Promise<RecordedEvent[]> =>
    (await committedEvents(sut.db.pool, [type])).filter((e) => (e.data as Record<string, unknown>)[key] === value);
  const openOffering = async (subject: string) => {
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token,
      body: {
        ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
        ...{ form: 'individual', capacity: 1, feePerSemesterNok: 2105, schoolYear: '2025-2026' },
      },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const { offeringId } = opened.body as { offeringId: string };
    await eventually(async () => (await of('WaitlistOpened', 'offeringId', offeringId)).length === 1);
    return offeringId;
  };
  const enrol = async (offeringId: string, studentId: string) => {
    const enrolled = await sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
      token,
      body: { studentId, birthYear: 2013, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
    });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    return (enrolled.body as { placeId: string }).placeId;
  };
  const apply = async (offeringId: string, nationalId: string) => {
    const applied = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
      token,
      body: {
        child: { name: 'Ida', nationalId, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
        guardian: { name: 'Guardian of Ida', email: 'guardian@example.no' },
        specialNeeds: false,
        appliedAt: '2025-03-01T09:00:00Z',
      },
    });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    return applied.body as { childId: string; applicationId: string };
  };
  const moveOut = (studentId: string) =>
    sut.app
      .get(ChangeStudentDistrictHandler, { strict: false })
      .moveOut({ tenant: 'trondheim', studentId, effectiveOn: '2025-10-15', commandId: randomUUID() });

  beforeAll(async () => {
    sut = await startAppUnderTest(App, {
      migrations: [...admissionMigrations, ...personalDataMigrations, ...projectionsMigrations],
      clock,
    });
    token = await sut.token('caseworker');
  });
  afterAll(async () => sut?.close());

  it('ends a student’s places at the end of the semester and removes its waitlist entries with the reason', async () => {
    const piano = await openOffering('Piano');
    const fiolin = await openOffering('Fiolin');
    await enrol(fiolin, await registerPerson(sut, token, { birthYear: 2012, gender: 'male' }));
    // The child waits for the full Fiolin class and holds a place in Piano.
    const waiting = await apply(fiolin, fodselsnummerFor('2013-04-04'));
    const student = waiting.childId;
    const placeId = await enrol(piano, student);

    assert.equal(await moveOut(student), 'moved-out');
    const [moved] = await eventually(async () => {
      const found = await of('StudentMovedOut', 'studentId', student);
      return found.length === 1 ? found : undefined;
    });
    assert.deepEqual(
      { ...(moved?.data as object), recordedAt: undefined },
      {
        ...{ studentId: student, effectiveOn: '2025-10-15', eligibleUntil: '2025-12-31' },
        ...{ places: [{ placeId, offeringId: piano }], recordedAt: undefined },
      },
    );
    const [withdrawn] = await eventually(async () => {
      const found = await of('PlaceWithdrawn', 'placeId', placeId);
      return found.length === 1 ? found : undefined;
    });
    assert.equal((withdrawn?.data as { effectiveOn: string }).effectiveOn, '2025-12-31');
    const [removed] = await eventually(async () => {
      const found = await of('ApplicationWithdrawn', 'applicationId', waiting.applicationId);
      return found.length === 1 ? found : undefined;
    });
    assert.equal((removed?.data as { reason?: string }).reason, 'moved-out-of-municipality');
    assert.equal(await moveOut(student), 'unchanged', 'the same move reported again records nothing new');
  });

  it('removes the waitlist entries of a child who holds no place yet', async () => {
    const cello = await openOffering('Cello');
    await enrol(cello, await registerPerson(sut, token, { birthYear: 2012, gender: 'male' }));
    const { childId, applicationId } = await apply(cello, fodselsnummerFor('2016-05-05'));
    assert.equal(await moveOut(childId), 'moved-out');
    const [removed] = await eventually(async () => {
      const found = await of('ApplicationWithdrawn', 'applicationId', applicationId);
      return found.length === 1 ? found : undefined;
    });
    assert.equal((removed?.data as { reason?: string }).reason, 'moved-out-of-municipality');
    const queue = await eventually(async () => {
      const response = await sut.request('GET', `/waitlist/queue?offeringId=${cello}`, { token });
      const body = response.body as { total: number };
      return response.status === 200 && body.total === 0 ? body : undefined;
    });
    assert.equal(queue.total, 0);
  });
});
