import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { integrationMigrations } from '../migrations.js';
import { PayerLookupModule } from './payer-lookup.module.js';
import { PayerReferences } from './payer-references.js';

describe('payer lookup for billing (GET /integration/payers/:payerRef)', () => {
  let sut: AppUnderTest;
  const reads = async (payerRef: string) =>
    (
      await sut.db.pool.query<{ actor_role: string; action: string; outcome: string; tenant: string }>(
        'SELECT actor_role, action, outcome, tenant FROM access_trail WHERE subject_ref = $1 ORDER BY id',
        [payerRef],
      )
    ).rows;

  beforeAll(async () => {
    sut = await startAppUnderTest(platformWith(PayerLookupModule), {
      migrations: integrationMigrations,
    });
    const references = new PayerReferences(sut.db.pool);
    await references.register('trondheim', { payerRef: 'payer-7', subjectRef: 'subject-41', billingAccount: '100234' });
  });
  afterAll(async () => sut.close());

  it('resolves a payerRef for a system with role integration', async () => {
    const response = await sut.request('GET', '/integration/payers/payer-7', { token: await sut.token('integration') });
    assert.deepEqual(response, {
      ...response,
      status: 200,
      body: { payerRef: 'payer-7', subjectRef: 'subject-41', billingAccount: '100234' },
    });
  });

  it('records every lookup in the access trail', async () => {
    await sut.request('GET', '/integration/payers/payer-7', { token: await sut.token('integration') });
    const trail = await reads('payer-7');
    assert.ok(trail.length >= 1);
    assert.deepEqual(trail.at(-1), {
      actor_role: 'integration',
      action: 'integration.payer-lookup',
      outcome: 'read',
      tenant: 'trondheim',
    });
  });

  it('refuses other roles, and records the refusal', async () => {
    const response = await sut.request('GET', '/integration/payers/payer-7', { token: await sut.token('caseworker') });
    assert.equal(response.status, 403);
    const { rows } = await sut.db.pool.query(
      "SELECT 1 FROM access_trail WHERE actor_role = 'caseworker' AND outcome = 'forbidden'",
    );
    assert.equal(rows.length, 1);
  });

  it('answers 404 for a payer it does not know, after recording the attempt', async () => {
    const response = await sut.request('GET', '/integration/payers/payer-unknown', {
      token: await sut.token('integration'),
    });
    assert.equal(response.status, 404);
    assert.equal((await reads('payer-unknown')).length, 1);
  });

  it('does not resolve another tenant’s payer', async () => {
    const response = await sut.request('GET', '/integration/payers/payer-7', {
      token: await sut.token('integration', 'melhus'),
    });
    assert.equal(response.status, 404);
  });
});
