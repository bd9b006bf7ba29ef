import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import type { RecordedEvent } from '#libs/event-store';
import { sampleAppends } from '../translation/domain-event-samples.js';
import { translate } from '../translation/translate.js';
import { feesAssessed, householdStream } from './fixtures/sized-events.js';
import { RelayModule } from './relay.module.js';
import { brokersFromRunner } from './relay-test-setup.js';

// What the samples translate to: one domain event may publish none, one or several messages.
const SAMPLE_MESSAGES = sampleAppends('trondheim', 1, 'count')
  .flatMap(({ streamName, events }) =>
    events.map((event, i) => ({ ...event, streamName, streamRevision: i, position: 0n, recordedAt: new Date() })),
  )
  .reduce((sum, event) => sum + translate(event as RecordedEvent).length, 0);

type Json = Record<string, unknown>;

describe('relay inside a Nest app', () => {
  let sut: AppUnderTest;
  let status: Json = {};

  const relayStatus = async (): Promise<Json> =>
    (await sut.request('GET', '/relay/status', { token: await sut.token('integration') })).body as Json;
  const poll = async (what: string, done: (status: Json) => boolean, timeoutMs = 60_000): Promise<Json> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await relayStatus();
      if (done(current)) return current;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(current)}`);
      await sleep(100);
    }
  };

  beforeAll(async () => {
    sut = await startAppUnderTest(platformWith(RelayModule), {
      env: { KAFKA_BROKERS: brokersFromRunner() },
    });
    for (const { streamName, events } of sampleAppends('trondheim', 1, 'relay-module')) {
      await sut.runtime.store.appendToStream(streamName, events, { expectedRevision: 'no_stream' });
    }
    // caughtUp is set when a read finds nothing new; the checkpoint (and so the lag) commits just after.
    status = await poll(
      'the samples to be published',
      (s) => s.caughtUp === true && s.publishedMessages === SAMPLE_MESSAGES && s.lagSeconds === 0,
    );
  });
  afterAll(async () => sut?.close());

  it('starts with the app, publishes, and shows its state and lag at GET /relay/status', () =>
    assert.deepEqual(
      {
        status: status.status,
        state: status.state,
        caughtUp: status.caughtUp,
        published: status.publishedMessages,
        lag: status.lagSeconds,
      },
      { status: 'up', state: 'connected', caughtUp: true, published: SAMPLE_MESSAGES, lag: 0 },
    ));

  it('refuses the status to a case worker', async () => {
    const response = await sut.request('GET', '/relay/status', { token: await sut.token('caseworker') });
    assert.equal(response.status, 403);
  });

  describe('with an event too large for the broker', () => {
    let parked: Json = {};
    let position = '';

    beforeAll(async () => {
      await sut.runtime.store.appendToStream(
        householdStream('trondheim', 'big'),
        [feesAssessed('trondheim', 'big', 0, 15_000, 'relay-module')],
        { expectedRevision: 'no_stream' },
      );
      const degraded = await poll('the event to be parked', (s) => (s.blocking as unknown[] | undefined)?.length === 1);
      [parked = {}] = degraded.blocking as Json[];
      position = String(parked.position);
      status = degraded;
    });

    it('says degraded at GET /relay/status, naming the event, its position and why', () => {
      assert.equal(status.status, 'degraded');
      assert.deepEqual(
        { type: parked.eventType, tenant: parked.tenant, limit: parked.limitBytes },
        { type: 'SemesterFeesAssessed', tenant: 'trondheim', limit: 1_048_588 },
      );
      assert.match(String(parked.reason), /the broker accepts at most 1048588/);
      assert.match((status.reasons as string[]).join('\n'), /1 event\(s\) parked/);
    });

    it('says degraded in /health too, without naming any tenant’s event', async () => {
      const health = await sut.request('GET', '/health');
      const relay = (health.body as { details: Record<string, Json> }).details.relay ?? {};
      assert.deepEqual(
        { http: health.status, overall: (health.body as Json).status, relay: relay.status, parked: relay.parkedEvents },
        { http: 200, overall: 'degraded', relay: 'degraded', parked: 1 },
      );
      assert.equal(JSON.stringify(health.body).includes(String(parked.eventId)), false);
    });

    it('shows the event to no other tenant', async () => {
      const token = await sut.token('admin', 'bergen');
      const other = (await sut.request('GET', '/relay/status', { token })).body as Json;
      assert.deepEqual(other.blocking, []);
      assert.deepEqual(((await sut.request('GET', '/relay/parked', { token })).body as Json).parked, []);
    });

    it('refuses a skip to a case worker, without a reason, at no position, and of another tenant’s event', async () => {
      const url = `/relay/parked/${position}/skip`;
      const admin = await sut.token('admin');
      const reason = 'billing re-imports it from the CSV export';
      const answers = await Promise.all([
        sut.request('POST', url, { token: await sut.token('caseworker'), body: { reason } }),
        sut.request('POST', url, { token: admin, body: {} }),
        sut.request('POST', url, { token: admin, body: { reason: 'no\u0000' } }),
        sut.request('POST', '/relay/parked/12x/skip', { token: admin, body: { reason } }),
        sut.request('POST', url, { token: await sut.token('admin', 'bergen'), body: { reason } }),
        sut.request('POST', '/relay/parked/999999999/skip', { token: admin, body: { reason } }),
      ]);
      assert.deepEqual(
        answers.map((a) => a.status),
        [403, 400, 400, 400, 404, 404],
      );
      const fields = answers
        .slice(1, 4)
        .map((a) => [...new Set(((a.body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field))]);
      assert.deepEqual(fields, [['reason'], ['reason'], ['position']]);
      assert.equal((await relayStatus()).parkedEvents, 1);
    });

    it('is skipped by an admin with a reason: recorded with who, and the relay is up again', async () => {
      const response = await sut.request('POST', `/relay/parked/${position}/skip`, {
        token: await sut.token('admin'),
        body: { reason: 'billing re-imports it from the CSV export' },
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const skipped = (response.body as { skipped: Json }).skipped;
      assert.deepEqual(
        { position: skipped.position, resolution: skipped.resolution, by: skipped.resolvedBy, note: skipped.note },
        {
          position,
          resolution: 'skipped',
          by: 'trondheim/admin-1',
          note: 'billing re-imports it from the CSV export',
        },
      );
      const after = await poll('the relay to be up', (s) => s.status === 'up');
      assert.equal(after.parkedEvents, 0);
      const list = (await sut.request('GET', '/relay/parked', { token: await sut.token('integration') })).body as {
        parked: Json[];
      };
      assert.deepEqual(
        list.parked.map((p) => [p.position, p.resolution, p.resolvedBy]),
        [[position, 'skipped', 'trondheim/admin-1']],
      );
    });
  });
});
