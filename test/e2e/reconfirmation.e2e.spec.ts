import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { AdmissionModule, AdmissionProcessManager, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
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

describe('yearly reconfirmation of waitlist entries', () => {
  // Before 1 April, when the yearly request goes out: these entries exist then, so they must answer it.
  const clock = new AdjustableClock(new Date('2025-03-20T08:00:00Z'));
  let sut: AppUnderTest;
  let token: string;

  beforeAll(async () => {
    sut = await startAppUnderTest(AdmissionApp, {
      migrations: [...admissionMigrations, ...personalDataMigrations],
      clock,
    });
    token = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('removes, after 1 May, the entries not reconfirmed for the coming school year, once', async () => {
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token,
      body: {
        subject: 'Gitar',
        subjectGroup: 'music',
        programme: 'core',
        location: 'Midtbyen',
        district: 'Midtbyen',
        form: 'individual',
        capacity: 1,
        feePerSemesterNok: 2105,
        schoolYear: '2024-2025',
      },
    });
    const { offeringId } = opened.body as { offeringId: string };
    // The only seat goes to a direct enrolment, so both applicants wait.
    const direct = await sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
      token,
      body: {
        studentId: await registerPerson(sut, token, { birthYear: 2012, gender: 'male' }),
        birthYear: 2012,
        gender: 'male',
        district: 'Midtbyen',
        school: 'Singsaker skole',
      },
    });
    assert.equal(direct.status, 201, JSON.stringify(direct.body));
    const waitlist = `trondheim.waitlist.offering-${offeringId}`;
    await eventually(async () =>
      (await sut.runtime.store.readStream(waitlist)).some((e) => e.type === 'WaitlistOpened'),
    );
    const apply = async (name: string, born: string) => {
      const response = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
        token,
        body: {
          child: { name, nationalId: fodselsnummerFor(born), gender: 'female', district: 'Midtbyen' },
          guardian: { name: 'F', email: 'f@example.no' },
          specialNeeds: false,
          appliedAt: '2024-03-01T10:00:00Z',
        },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return (response.body as { applicationId: string }).applicationId;
    };
    const keeps = await apply('Ida', '2013-05-05');
    const forgets = await apply('Jon', '2013-06-06');
    const reconfirmed = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications/${keeps}/reconfirm`, {
      token,
      body: { schoolYear: '2025-2026' },
    });
    assert.equal(reconfirmed.status, 200, JSON.stringify(reconfirmed.body));

    const manager = sut.app.get(AdmissionProcessManager);
    await manager.removeUnconfirmed();
    const removed = async () =>
      (await sut.runtime.store.readStream(waitlist)).filter((e) => e.type === 'UnconfirmedApplicationRemoved');
    assert.equal((await removed()).length, 0, 'nothing is removed before the deadline');

    clock.set('2025-05-02T08:00:00Z');
    await manager.removeUnconfirmed();
    await manager.removeUnconfirmed();
    const after = await removed();
    assert.deepEqual(
      after.map((e) => (e.data as { applicationId: string }).applicationId),
      [forgets],
    );
    const late = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications/${forgets}/reconfirm`, {
      token,
      body: { schoolYear: '2025-2026' },
    });
    assert.ok([404, 409].includes(late.status), `reconfirming too late is refused (${late.status})`);
  });
});
