import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { EnrolmentHttpModule } from '#libs/enrolment';
import {
  AddressChangesModule,
  RelayModule,
  StudentDistrictUpdater,
  type DistrictChangeOutcome,
  type MoveOutOutcome,
} from '#libs/integration';
import { eventually, platformWith, startAppUnderTest } from '#libs/testing';

/** No consumer is connected here: the module is in the app for its lag gauge, which must not break a scrape. */
class NoUpdates extends StudentDistrictUpdater {
  async changeDistrict(): Promise<DistrictChangeOutcome> {
    throw new Error('not consumed in this spec');
  }
  async moveOut(): Promise<MoveOutOutcome> {
    throw new Error('not consumed in this spec');
  }
}

const App = platformWith(
  EnrolmentHttpModule,
  RelayModule,
  AddressChangesModule.forUpdater({ useValue: new NoUpdates() }, 'trondheim'),
);

const offering = (subject: string) => ({
  ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
  ...{ form: 'individual', capacity: 2, feePerSemesterNok: 2105, schoolYear: '2025-2026' },
});

/** Boots the app against `brokers`, opens two offerings (events the relay publishes) and reads what it reports. */
const appWithAppends = async (brokers: string) => {
  const sut = await startAppUnderTest(App, { env: { KAFKA_BROKERS: brokers } });
  const caseworker = await sut.token('caseworker');
  for (const subject of ['Fiolin', 'Cello']) {
    const opened = await sut.request('POST', '/enrolment/offerings', { token: caseworker, body: offering(subject) });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
  }
  const operator = await sut.token('admin', sut.runtime.config.OPERATOR_TENANT);
  const scrape = async () => {
    const response = await sut.request('GET', '/metrics', { token: operator });
    assert.equal(response.status, 200, 'the scrape answers whatever the broker does');
    return String(response.body);
  };
  const relayLag = async () => Number(/^kulturskole_relay_lag_positions (\d+)$/m.exec(await scrape())?.[1] ?? NaN);
  const relayLagEvents = async () => Number(/^kulturskole_relay_lag_events (\d+)$/m.exec(await scrape())?.[1] ?? NaN);
  const stored = async () =>
    Number((await sut.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM es_events')).rows[0]?.n);
  const head = async () =>
    Number(
      (await sut.db.pool.query<{ head: string }>('SELECT max(position)::text AS head FROM es_events')).rows[0]?.head,
    );
  return { sut, scrape, relayLag, relayLagEvents, stored, head };
};

describe('readiness and relay lag with the configured broker unreachable', () => {
  let app: Awaited<ReturnType<typeof appWithAppends>>;

  // Nothing listens on port 1: every connection is refused at once.
  beforeAll(async () => (app = await appWithAppends('127.0.0.1:1')));
  afterAll(async () => app?.sut.close());

  it('answers /health/ready 503 while /health/live answers 200, and /health names the broker as the cause', async () => {
    const ready = await app.sut.request('GET', '/health/ready');
    assert.equal(ready.status, 503, JSON.stringify(ready.body));
    assert.match(ready.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((ready.body as { status: number }).status, 503);
    assert.match(
      (ready.body as { detail: string }).detail,
      /^Not ready: .*kafka/,
      'the problem names the failed check',
    );
    assert.equal((await app.sut.request('GET', '/health/live')).status, 200);
    // The problem body names no indicator; /health (200, degraded) says which one failed.
    const health = await app.sut.request('GET', '/health');
    const details = (health.body as { details: Record<string, { degraded?: boolean; reason?: string }> }).details;
    assert.equal(details.kafka?.degraded, true, JSON.stringify(health.body));
    assert.match(details.kafka?.reason ?? '', /./);
  });

  it('counts every appended position and event as relay lag, none being acknowledged, and still serves /metrics', async () => {
    const lag = await app.relayLag();
    assert.ok(lag > 0, `relay lag ${lag}`);
    // Nothing acknowledged: head minus 0. In position units ((transaction id << 20) + index), not events.
    assert.equal(lag, await app.head());
    // The same lag in events: every stored event waits for the broker.
    assert.equal(await app.relayLagEvents(), await app.stored());
    // The consumer-lag gauge is registered but, with no broker to read from, has no sample (not a failed scrape).
    const text = await app.scrape();
    assert.match(text, /^# TYPE kulturskole_inbound_consumer_lag_messages gauge$/m);
    assert.doesNotMatch(text, /^kulturskole_inbound_consumer_lag_messages\{/m);
    console.log(
      text
        .split('\n')
        .filter((line) => /kulturskole_(relay|inbound_consumer)_lag/.test(line))
        .join('\n'),
    );
  });
});

describe('readiness and relay lag with the broker answering', () => {
  let app: Awaited<ReturnType<typeof appWithAppends>>;

  beforeAll(async () => (app = await appWithAppends(process.env.KAFKA_BROKERS ?? '')));
  afterAll(async () => app?.sut.close());

  it('is ready, and the relay lag falls to 0 once the broker acknowledged every appended event', async () => {
    const ready = await app.sut.request('GET', '/health/ready');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.ok((await app.head()) > 0);
    await eventually(async () => (await app.relayLag()) === 0, 60_000);
    assert.equal(await app.relayLagEvents(), 0);
  });
});
