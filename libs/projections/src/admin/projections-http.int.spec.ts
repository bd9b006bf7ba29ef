import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { waitFor } from '../fixtures/harness.js';
import { appendHistory, offeringHistory } from '../fixtures/offering-history.js';
import { offeringsProjection } from '#libs/enrolment';
import type { Projection } from '../projection.js';
import { projectionsMigrations } from '../projections.migrations.js';
import { ProjectionsModule } from '../projections.module.js';

const history = offeringHistory({ offerings: 3, eventsPerOffering: 10, seed: 21 });
const poisonId = history[1]?.events[4]?.eventId ?? '';
const poisoned: Projection = {
  ...offeringsProjection,
  handle: (event) => {
    if (event.eventId === poisonId) throw new Error('cannot read this payload');
    return offeringsProjection.handle(event);
  },
};

interface StatusBody {
  projections: { projection: string; status: string; failedEventId: string | null; lag: { events: number } | null }[];
}

describe('projections over HTTP', () => {
  let sut: AppUnderTest;
  let admin: string;
  const status = async () => (await sut.request('GET', '/projections', { token: admin })).body as StatusBody;

  beforeAll(async () => {
    sut = await startAppUnderTest(
      platformWith(ProjectionsModule.register({ projections: [poisoned], run: true, idleMs: 10 })),
      {
        migrations: projectionsMigrations,
      },
    );
    admin = await sut.token('admin');
    await appendHistory(sut.runtime.store, history);
  });
  afterAll(async () => sut.close());

  it('shows the stop to admins and auditors only', async () => {
    await waitFor('the stop', async () => (await status()).projections[0]?.status === 'failed');
    const auditor = await sut.request('GET', '/projections', { token: await sut.token('auditor') });
    assert.equal(auditor.status, 200);
    const [offerings] = (auditor.body as StatusBody).projections;
    assert.equal(offerings?.failedEventId, poisonId);
    assert.ok((offerings?.lag?.events ?? 0) > 0, 'a stopped projection lags');
    const caseworker = await sut.request('GET', '/projections', { token: await sut.token('caseworker') });
    assert.equal(caseworker.status, 403);
  });

  it('lets an admin skip the event with a reason, and then catches up with no lag', async () => {
    const byAnotherTenant = await sut.request('POST', '/projections/offerings/retry', {
      token: await sut.token('admin', 'malvik'),
    });
    assert.equal(byAnotherTenant.status, 409, 'another municipality cannot restart at this one’s event');
    const noReason = await sut.request('POST', '/projections/offerings/skip', { token: admin, body: {} });
    assert.equal(noReason.status, 400);
    const byAuditor = await sut.request('POST', '/projections/offerings/skip', {
      token: await sut.token('auditor'),
      body: { reason: 'known bad payload' },
    });
    assert.equal(byAuditor.status, 403);
    const skipped = await sut.request('POST', '/projections/offerings/skip', {
      token: admin,
      body: { reason: 'known bad payload' },
    });
    assert.equal(skipped.status, 200);
    await waitFor('catch-up', async () => {
      const [offerings] = (await status()).projections;
      return offerings?.status === 'running' && offerings.lag?.events === 0;
    });
    const again = await sut.request('POST', '/projections/offerings/retry', { token: admin });
    assert.equal(again.status, 409);
    const unknown = await sut.request('POST', '/projections/nothing/retry', { token: admin });
    assert.equal(unknown.status, 404);
  });

  it('exposes the lag in /metrics', async () => {
    await waitFor('the gauge', async () => {
      const metrics = await sut.request('GET', '/metrics', { token: await sut.token('admin', 'operations') });
      return String(metrics.body).includes('kulturskole_projection_lag_events{projection="offerings",version="1"} 0');
    });
    const metrics = await sut.request('GET', '/metrics', { token: await sut.token('admin', 'operations') });
    assert.match(String(metrics.body), /kulturskole_projection_lag_seconds\{projection="offerings",version="1"\} 0/);
  });

  it('starts an as-of build and lists it', async () => {
    const head = String((await sut.runtime.store.headPosition()) ?? 0n);
    const started = await sut.request('POST', '/projections/offerings/as-of', {
      token: await sut.token('auditor'),
      body: { name: 'audit_1', untilPosition: head },
    });
    assert.equal(started.status, 202);
    await waitFor('the build', async () => {
      const list = await sut.request('GET', '/projections/as-of', { token: admin });
      return (list.body as { builds: { name: string; status: string }[] }).builds[0]?.status === 'built';
    });
    const both = await sut.request('POST', '/projections/offerings/as-of', {
      token: admin,
      body: { name: 'audit_2', untilPosition: head, until: new Date().toISOString() },
    });
    assert.equal(both.status, 400);
  });
});
