import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { schoolYearOf } from '#libs/calendar';
import { eventually, fodselsnummerFor } from '#libs/testing';
import { startTopology, type Topology } from './topology.js';

// The apps docker-compose.yml must run: the three write services, the read side, the relay and the auditors' API.
const EXPECTED_APPS = ['enrolment', 'waitlist', 'funding', 'query-api', 'audit', 'projector', 'relay'];
const SLOW = 60_000;

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** A Kafka consumer of the integration topics from their start, keeping every message's decoded value. */
const listenToTopics = async (topics: string[]) => {
  const kafka = new Kafka({
    clientId: 'topology-test',
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  // Created here, so the consumer can subscribe before the relay's first message creates them.
  await admin.createTopics({ topics: topics.map((topic) => ({ topic })) }).catch(() => undefined);
  await admin.disconnect();
  const consumer: Consumer = kafka.consumer({ groupId: `topology-${randomUUID()}` });
  const messages: { topic: string; type: string; value: Record<string, unknown>; raw: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const raw = message.value?.toString() ?? '{}';
      const value = JSON.parse(raw) as Record<string, unknown>;
      const type = message.headers?.ce_type?.toString() ?? '';
      messages.push({ topic, type, value, raw });
    },
  });
  return {
    messages,
    stop: async () => {
      await consumer.stop();
      await consumer.disconnect();
    },
  };
};

describe('the deployment of docker-compose.yml: every app its own process, as compose starts it', () => {
  let topology: Topology;
  let kafka: Awaited<ReturnType<typeof listenToTopics>>;

  beforeAll(async () => {
    kafka = await listenToTopics(['kulturskole.enrolment.v1', 'kulturskole.funding.v1', 'kulturskole.waitlist.v1']);
    topology = await startTopology();
  }, 180_000);
  afterAll(async () => {
    await kafka?.stop();
    await topology?.stop();
  });

  const call = async (app: string, method: string, path: string, token: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${topology.url(app)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const expectStatus = (reply: Reply, status: number, what: string) =>
    assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
  const items = (reply: Reply) => (reply.body.items ?? []) as Record<string, unknown>[];

  it('starts every app of compose, each healthy by its compose healthcheck, in production mode', () => {
    expect(topology.services.map((service) => service.name).sort()).toEqual([...EXPECTED_APPS].sort());
    for (const service of topology.services) {
      expect([service.name, service.environment.NODE_ENV]).toEqual([service.name, 'production']);
      expect([service.name, service.healthPath]).toEqual([
        service.name,
        expect.stringMatching(/^\/health\/(ready|live)$/),
      ]);
    }
  });

  it('carries a family from application through offer, place, fee and waiver to statistics, Kafka and the audit', async () => {
    const tenant = topology.services[0]?.environment.DEFAULT_TENANT ?? 'trondheim';
    const caseworker = await topology.issuer.token('caseworker', tenant);
    const admin = await topology.issuer.token('admin', tenant);
    const auditor = await topology.issuer.token('auditor', tenant);
    const schoolYear = schoolYearOf(new Date().toISOString());

    // A token from another issuer is refused: the apps trust only the JWKS compose points them at.
    expectStatus(await call('query-api', 'GET', '/statistics/summary', 'not-a-token'), 401, 'a bad token');

    // Enrolment opens a violin class with one seat.
    const opened = await call('enrolment', 'POST', '/enrolment/offerings', caseworker, {
      ...{ subject: 'Fiolin', subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
      ...{ form: 'individual', capacity: 1, feePerSemesterNok: 2105, schoolYear },
    });
    expectStatus(opened, 201, 'offering opened');
    const offeringId = String(opened.body.offeringId);

    // The family applies at the waitlist service (once the waitlist has heard of the offering).
    const nationalId = fodselsnummerFor('2015-03-14');
    const applied = await eventually(async () => {
      const reply = await call('waitlist', 'POST', `/waitlist/offerings/${offeringId}/applications`, caseworker, {
        child: { name: 'Ingrid Topologi', nationalId, gender: 'female', district: 'Heimdal', school: 'Huseby skole' },
        guardian: { name: 'Guardian Topologi', email: 'guardian@example.no' },
        specialNeeds: false,
        appliedAt: new Date(Date.now() - 24 * 3600 * 1000).toISOString(),
      });
      return reply.status === 404 ? undefined : reply;
    }, SLOW);
    expectStatus(applied, 201, 'application');
    const childId = String(applied.body.childId);

    // The admission process (in the waitlist app) offers the free seat; the query API shows the offer.
    const offer = await eventually(async () => {
      const reply = await call('query-api', 'GET', `/waitlist/queue/offers?offeringId=${offeringId}`, caseworker);
      return items(reply).find((item) => item.childId === childId);
    }, SLOW);
    const accepted = await call(
      'waitlist',
      'POST',
      `/waitlist/offerings/${offeringId}/offers/${String(offer.offerId)}/accept`,
      caseworker,
    );
    expectStatus(accepted, 200, 'offer accepted');

    // The accepted offer becomes a place in enrolment; the relay publishes it.
    const placeStarted = await eventually(
      async () =>
        kafka.messages.find(
          (m) => m.value.offeringId === offeringId && m.topic === 'kulturskole.enrolment.v1' && 'startedAt' in m.value,
        ),
      SLOW,
    );
    expect(placeStarted.value).toMatchObject({ studentRef: childId, viaOfferId: offer.offerId });
    const placeId = String(placeStarted.value.placeId);

    // Funding: the payer is registered and the place is billed for its semesters.
    const payerNationalId = fodselsnummerFor('1984-06-02');
    const payer = await call('funding', 'PUT', `/funding/children/${childId}/payer`, caseworker, { payerNationalId });
    expectStatus(payer, 200, 'payer registered');
    const payerRef = String(payer.body.payerId);
    const feeLine = (m: (typeof kafka.messages)[number]) =>
      m.value.payerRef === payerRef &&
      ((m.value.lines ?? []) as { placeId: string; amountOre: number }[]).some((line) => line.placeId === placeId);
    const billed = await eventually(async () => kafka.messages.find(feeLine), SLOW);
    expect(billed.value.totalOre).toBeGreaterThan(0);

    // A poverty-plan fee waiver, decided by the year's G within its budget: the place's fee is assessed again, lower.
    const rules = { rules: { baseAmountG: 13_016_000 }, reason: 'Grunnbeløpet fra 1. mai, for skoleåret' };
    expectStatus(await call('funding', 'PUT', `/policies/funding/${schoolYear}`, admin, rules), 200, "the year's G");
    expectStatus(
      await call('funding', 'PUT', `/funding/budgets/${schoolYear}`, admin, { maxAmountNok: 100_000, maxWaivers: 10 }),
      200,
      'budget',
    );
    const waiverApplied = await call('funding', 'POST', '/funding/fee-waivers/applications', caseworker, {
      ...{ payerNationalId, householdSize: 4, householdIncomeNok: 150_000, schoolYear },
    });
    expectStatus(waiverApplied, 201, 'waiver applied for');
    const applicationId = String(waiverApplied.body.applicationId);
    const decided = await call(
      'funding',
      'POST',
      `/funding/fee-waivers/applications/${applicationId}/decision`,
      caseworker,
      {},
    );
    expectStatus(decided, 200, 'waiver decided');
    expect(decided.body.decision).toBe('Granted');
    const reassessed = await eventually(
      async () => kafka.messages.find((m) => feeLine(m) && Number(m.value.totalOre) < Number(billed.value.totalOre)),
      SLOW,
    );
    expect(reassessed.value.replacesAssessmentId).toBeTruthy();

    // The read side (projector → query API): the active waiver and the statistics.
    const waivers = await eventually(async () => {
      const reply = await call('query-api', 'GET', `/funding/fee-waivers/active?schoolYear=${schoolYear}`, caseworker);
      return items(reply).find((item) => item.householdId === payerRef || item.applicationId === applicationId);
    }, SLOW);
    expect(waivers).toBeTruthy();
    // Read until the statistics have taken in both the place and the waiver; on time-out, show what they said last.
    let lastSummary: Record<string, unknown> | undefined;
    const summary = await eventually(async () => {
      const reply = await call('query-api', 'GET', `/statistics/summary?schoolYear=${schoolYear}`, admin);
      lastSummary = items(reply)[0];
      return lastSummary?.places === 1 && lastSummary.studentsWithWaiver === 1 ? lastSummary : undefined;
    }, SLOW).catch(() => lastSummary);
    expect(summary).toMatchObject({ students: 1, places: 1, studentsWithWaiver: 1 });

    // Kafka carries the waiver too, and no message names the child or holds a national id in the clear.
    const granted = await eventually(
      async () => kafka.messages.find((m) => m.value.applicationId === applicationId),
      SLOW,
    );
    expect(granted.value).toMatchObject({ householdRef: payerRef, schoolYear });
    const ours = kafka.messages.filter((m) => m.raw.includes(childId) || m.raw.includes(payerRef));
    expect(ours.length).toBeGreaterThan(2);
    for (const message of ours) {
      expect([
        message.raw.includes('Ingrid'),
        message.raw.includes(nationalId),
        message.raw.includes(payerNationalId),
      ]).toEqual([false, false, false]);
    }

    // The auditor reads the child's history at the audit app: from the application to the place.
    const history = await eventually(async () => {
      const reply = await call('audit', 'GET', `/audit/history/${childId}`, auditor);
      const types = ((reply.body.entries ?? []) as { type: string }[]).map((entry) => entry.type);
      return types.includes('PlaceEnrolled') ? types : undefined;
    }, SLOW);
    expect(history).toEqual(expect.arrayContaining(['ApplicationSubmitted', 'PlaceOffered', 'PlaceEnrolled']));
    expectStatus(await call('audit', 'GET', `/audit/history/${childId}`, caseworker), 403, 'a caseworker at the audit');

    // Nothing was written but to the volumes: the apps can run on compose's read-only root file system.
    expect(await topology.writtenOutsideVolumes()).toEqual([]);
  }, 300_000);
});
