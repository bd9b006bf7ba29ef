import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { sampleAppends } from '../translation/domain-event-samples.js';
import { RelayModule } from './relay.module.js';
import { brokersFromRunner } from './relay-test-setup.js';

describe('relay inside a Nest app', () => {
  let sut: AppUnderTest;
  let status: Record<string, unknown> = {};

  beforeAll(async () => {
    sut = await startAppUnderTest(platformWith(RelayModule), {
      env: { KAFKA_BROKERS: brokersFromRunner() },
    });
    for (const { streamName, events } of sampleAppends('trondheim', 1, 'relay-module')) {
      await sut.runtime.store.appendToStream(streamName, events, { expectedRevision: 'no_stream' });
    }
    const token = await sut.token('integration');
    const deadline = Date.now() + 60_000;
    do {
      await sleep(100);
      status = (await sut.request('GET', '/relay/status', { token })).body as Record<string, unknown>;
    } while (!(status.caughtUp === true && status.publishedMessages === 19) && Date.now() < deadline);
  });
  afterAll(async () => sut.close());

  it('starts with the app, publishes, and shows its state and lag at GET /relay/status', () =>
    assert.deepEqual(
      { state: status.state, caughtUp: status.caughtUp, published: status.publishedMessages, lag: status.lagSeconds },
      { state: 'connected', caughtUp: true, published: 20, lag: 0 },
    ));

  it('refuses the status to a case worker', async () => {
    const response = await sut.request('GET', '/relay/status', { token: await sut.token('caseworker') });
    assert.equal(response.status, 403);
  });
});
