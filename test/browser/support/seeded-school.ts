import assert from 'node:assert/strict';
import { offeringStream } from '#libs/enrolment';
import { runImport } from '#libs/history-import';
import {
  eventually,
  fodselsnummerFor,
  registerPerson,
  startAppUnderTest,
  testEvent,
  type AppUnderTest,
} from '#libs/testing';
import { HostModule } from '../../../apps/host/src/host.module.js';
import { hostMigrations } from '../../../apps/host/src/migrations.js';
import { PROFILES, SEED, seedHistory, type SeedProfile } from '../../../scripts/seed-plan.js';

/** Trondheim's plan at a tenth of its size: enough rows for every screen, imported in well under a minute. */
export const TRONDHEIM: SeedProfile = {
  ...(PROFILES.trondheim as SeedProfile),
  students: 300,
  places: 380,
  waiting: 120,
  kulturdagSchools: 3,
};

/** What the worklists hold besides the seed: one open offer, one waiver application, one place without a payer. */
export interface Arranged {
  schoolYear: string;
  offeringId: string;
  /** The child offered the seat (applied by name). */
  offeredChild: string;
  waiverApplicationId: string;
  /** The child whose place has no payer, and a payer's number to register. */
  unbilledChildId: string;
  payerNationalId: string;
  /** The student whose place was asked to re-register and who did not answer by the deadline (yesterday). */
  reregistrationChild: string;
  reregistrationPlaceId: string;
  /** Names of seeded children, which only roles allowed to see names may see. */
  seededNames: string[];
}

const schoolYearOfToday = (): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
  const year = Number(today.slice(0, 4));
  const first = Number(today.slice(5, 7)) >= 8 ? year : year - 1;
  return `${first}-${first + 1}`;
};

/** The whole host (as `npm start` runs it) on a fresh database, with Trondheim's history imported. */
export const startSeededHost = async (
  profile: SeedProfile = TRONDHEIM,
): Promise<{ sut: AppUnderTest; importMs: number; names: string[] }> => {
  const sut = await startAppUnderTest((runtime) => HostModule.forRuntime(runtime), {
    migrations: hostMigrations,
    env: { ACCEPT_SYNTHETIC_NATIONAL_IDS: '1' },
  });
  const started = Date.now();
  const history = seedHistory(profile, SEED, new Date());
  const text = history.lines.map((line) => JSON.stringify(line)).join('\n');
  const concurrency = Number(process.env.SEED_CONCURRENCY ?? 8);
  // A test token lives 5 minutes; a full-size import outlasts it, so it signs in as the dashboard does (8 hours).
  const token =
    profile === TRONDHEIM
      ? await sut.token('admin')
      : ((await sut.request('POST', '/dashboard/local-sign-in', { body: { role: 'admin' } })).body as { token: string })
          .token;
  const report = await runImport(text, { baseUrl: sut.baseUrl, token, concurrency });
  assert.deepEqual(report.refused, [], 'the seed imports whole');
  assert.ok(report.recorded > 0);
  const names = history.lines.filter((line) => line.command === 'registerPerson').map((line) => String(line.data.name));
  return { sut, importMs: Date.now() - started, names };
};

/** One item on each worklist that has an action, through the API as a caseworker would have left them. */
export const arrangeWorklists = async (sut: AppUnderTest, seededNames: string[]): Promise<Arranged> => {
  const token = await sut.token('admin');
  const schoolYear = schoolYearOfToday();
  const send = async (method: string, url: string, body: unknown, status: number) => {
    const response = await sut.request(method, url, { token, body });
    assert.equal(response.status, status, `${method} ${url}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, string>;
  };
  // Fee waivers are decided against G (grunnbeløpet) of the school year; a year the platform does not know yet is
  // set by the admin, as after the Storting's decision each May (docs/runbook.md).
  await send(
    'PUT',
    `/policies/funding/${schoolYear}`,
    { rules: { baseAmountG: 13_016_000 }, reason: 'G for skoleåret, vedtatt av Stortinget i mai' },
    200,
  );
  // Three seats: a direct enrolment without a payer, one asked to re-register, one free for the waiting child.
  const { offeringId = '' } = await send(
    'POST',
    '/enrolment/offerings',
    {
      subject: 'Fiolin',
      subjectGroup: 'music',
      programme: 'core',
      location: 'Huseby',
      district: 'Heimdal',
      form: 'individual',
      capacity: 3,
      feePerSemesterNok: 2105,
      schoolYear,
    },
    201,
  );
  const studentId = await registerPerson(sut, token, { birthYear: 2014, name: 'Ubetalt Elev' });
  await send(
    'POST',
    `/enrolment/offerings/${offeringId}/places`,
    { studentId, birthYear: 2014, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
    201,
  );
  // Rule 6's spring request comes from a process manager on its calendar day (April); here it is recorded as that
  // process records it, with a deadline that passed yesterday, so the worklist lists the place as overdue.
  const reregistrationChild = 'Omregistrering Elev';
  const reregisteringId = await registerPerson(sut, token, { birthYear: 2013, name: reregistrationChild });
  const { placeId: reregistrationPlaceId = '' } = await send(
    'POST',
    `/enrolment/offerings/${offeringId}/places`,
    { studentId: reregisteringId, birthYear: 2013, gender: 'male', district: 'Heimdal', school: 'Huseby skole' },
    201,
  );
  const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(
    new Date(Date.now() - 86_400_000),
  );
  await sut.runtime.store.appendToStream(
    offeringStream('trondheim', offeringId),
    [
      testEvent('trondheim', 'PlaceReregistrationRequested', {
        ...{ offeringId, placeId: reregistrationPlaceId, studentId: reregisteringId, schoolYear },
        ...{ deadline: yesterday, requestedAt: new Date(Date.now() - 30 * 86_400_000).toISOString() },
      }),
    ],
    { expectedRevision: 'any' },
  );
  // The waitlist opens for the offering when enrolment's event reaches it.
  const offeredChild = 'Tilda Tilbud';
  await eventually(async () => {
    const response = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
      token,
      body: {
        child: {
          name: offeredChild,
          nationalId: fodselsnummerFor('2015-03-03', 7),
          gender: 'female',
          district: 'Heimdal',
          school: 'Huseby skole',
        },
        guardian: { name: 'Verge Tilbud', email: 'verge@example.no' },
        specialNeeds: false,
      },
    });
    return response.status === 201;
  }, 30_000);
  const { applicationId: waiverApplicationId = '' } = await send(
    'POST',
    '/funding/fee-waivers/applications',
    { payerNationalId: fodselsnummerFor('1984-05-06', 3), householdSize: 4, householdIncomeNok: 240_000, schoolYear },
    201,
  );
  return {
    schoolYear,
    offeringId,
    offeredChild,
    waiverApplicationId,
    unbilledChildId: studentId,
    payerNationalId: fodselsnummerFor('1981-02-03', 5),
    reregistrationChild,
    reregistrationPlaceId,
    seededNames,
  };
};
