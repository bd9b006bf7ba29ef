import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { streamName } from '#libs/event-store';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { projectionsMigrations, ProjectionsModule } from '#libs/projections';
import {
  eventually,
  platformWith,
  registerPerson,
  startAppUnderTest,
  testEvent,
  type AppUnderTest,
} from '#libs/testing';
import { EnrolmentHttpModule, EnrolmentReadModule } from '../enrolment.module.js';
import { offeringsProjection } from '../offerings-read-model/offerings.projection.js';
import { reregistrationWorklistProjection } from './reregistration-worklist.projection.js';

interface Row {
  placeId: string;
  state: string;
  childName?: string;
  subject: string | null;
  answerAt: string;
}

const osloDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(at);
const today = osloDay(new Date());
const yesterday = osloDay(new Date(Date.now() - 86_400_000));
const schoolYear = (() => {
  const year = Number(today.slice(0, 4));
  const first = Number(today.slice(5, 7)) >= 8 ? year : year - 1;
  return `${first}-${first + 1}`;
})();

/**
 * Rule 6's worklist over HTTP: places asked to re-register whose family did not reply by the deadline, with names for
 * the roles allowed them (each read in the access trail), and the action that clears an item, sent through the route.
 */
describe('re-registrations not answered (worklist)', () => {
  let sut: AppUnderTest;
  let admin: string;
  let caseworker: string;
  const places: Record<string, string> = {};
  const students: Record<string, string> = {};
  let offeringId = '';

  beforeAll(async () => {
    sut = await startAppUnderTest(
      platformWith(
        ProjectionsModule.register({
          projections: [offeringsProjection, reregistrationWorklistProjection],
          run: true,
          idleMs: 10,
        }),
        PersonalDataHttpModule,
        EnrolmentHttpModule,
        EnrolmentReadModule,
      ),
      {
        migrations: [...projectionsMigrations, ...personalDataMigrations],
        env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' },
      },
    );
    admin = await sut.token('admin');
    caseworker = await sut.token('caseworker');
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token: admin,
      body: {
        ...{ subject: 'Fiolin', subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
        ...{ form: 'individual', capacity: 5, feePerSemesterNok: 2105, schoolYear },
      },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    offeringId = (opened.body as { offeringId: string }).offeringId;
    for (const name of ['Ola Overtid', 'Kari Stille', 'Per Svarer']) {
      const studentId = await registerPerson(sut, admin, { birthYear: 2014, name });
      const enrolled = await sut.request('POST', `/enrolment/offerings/${offeringId}/places`, {
        token: admin,
        body: { studentId, birthYear: 2014, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
      });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      places[name] = (enrolled.body as { placeId: string }).placeId;
      students[name] = studentId;
    }
    // The spring's request (the process manager's, on its calendar day) with a deadline that passed yesterday, and
    // the policy's silence applied to one of them.
    const stream = streamName('trondheim', 'enrolment', 'offering', offeringId);
    const ref = (name: string) => ({ offeringId, placeId: places[name], studentId: students[name], schoolYear });
    const at = new Date().toISOString();
    await sut.runtime.store.appendToStream(
      stream,
      [
        ...Object.keys(places).map((name) =>
          testEvent('trondheim', 'PlaceReregistrationRequested', {
            ...ref(name),
            deadline: yesterday,
            requestedAt: at,
          }),
        ),
        testEvent('trondheim', 'PlaceReregistered', { ...ref('Kari Stille'), answer: 'silence', answeredAt: at }),
      ],
      { expectedRevision: 'any' },
    );
  });
  afterAll(async () => sut?.close());

  const list = async (query = '', token = caseworker) => {
    const response = await sut.request('GET', `/enrolment/worklists/reregistrations${query}`, { token });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body as { items: Row[] }).items;
  };

  it('lists the places not answered by the deadline, with names for caseworkers and each read recorded', async () => {
    const items = await eventually(async () => {
      const rows = await list('?names=true');
      return rows.length === 3 ? rows : undefined;
    });
    const byName = Object.fromEntries(items.map((row) => [row.childName, row]));
    assert.equal(byName['Ola Overtid']?.state, 'overdue');
    assert.equal(byName['Kari Stille']?.state, 'continued-by-silence');
    assert.equal(byName['Per Svarer']?.subject, 'Fiolin');
    assert.equal(byName['Per Svarer']?.answerAt, `/enrolment/places/${places['Per Svarer']}/reregistration`);
    const { rows } = await sut.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_trail WHERE action = 'read child name (re-registration worklist)'`,
    );
    assert.equal(rows[0]?.n, 3);
    // Without names=true: ids only.
    assert.ok((await list()).every((row) => row.childName === undefined));
  });

  it('takes a place off the list when the family’s answer is registered through the action', async () => {
    const answered = await sut.request('POST', `/enrolment/places/${places['Per Svarer']}/reregistration`, {
      token: caseworker,
      body: { continue: true },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    const items = await eventually(async () => {
      const rows = await list();
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(items.map((row) => row.placeId).sort(), [places['Ola Overtid'], places['Kari Stille']].sort());
    assert.deepEqual(
      (await list('?state=overdue')).map((row) => row.placeId),
      [places['Ola Overtid']],
    );
  });

  it('refuses auditors, and bad filters with 400', async () => {
    const auditor = await sut.token('auditor');
    assert.equal((await sut.request('GET', '/enrolment/worklists/reregistrations', { token: auditor })).status, 403);
    const bad = await sut.request('GET', '/enrolment/worklists/reregistrations?state=forgotten', { token: caseworker });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /application\/problem\+json/);
  });
});
