import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { personalDataMigrations } from '#libs/personal-data';
import { eventually, platformWith, startAppUnderTest, testEvent, type AppUnderTest } from '#libs/testing';
import { auditMigrations } from '../audit.migrations.js';
import { AuditModule } from '../audit.module.js';
import type { IntegrityAnswer } from '../integrity/verify-store.js';
import { DEV_PUBLIC_KEY_FILE } from './signing-key.js';

const STREAM = 'trondheim.funding.fee-waiver-w-9';

describe('the host seals on a timer and GET /audit/integrity checks against its anchors', () => {
  let sut: AppUnderTest;
  beforeAll(async () => {
    sut = await startAppUnderTest(platformWith(AuditModule), {
      migrations: [...personalDataMigrations, ...auditMigrations],
      env: { AUDIT_ANCHOR_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(async () => sut?.close());

  const integrity = async () => {
    const response = await sut.request('GET', '/audit/integrity', { token: await sut.token('auditor') });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body as IntegrityAnswer;
  };

  it('anchors new events within a tick, with the development key kept in DATA_DIR, and finds a backdating', async () => {
    const { store, config } = sut.runtime;
    await store.appendToStream(STREAM, [testEvent('trondheim', 'FeeWaiverApplied', { waiverId: 'w-9' })], {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream(STREAM, [testEvent('trondheim', 'FeeWaiverGranted', { payPercent: 0 })], {
      expectedRevision: 0,
    });
    const anchors = path.resolve(config.DATA_DIR, 'audit-anchors.jsonl');
    await eventually(async () => {
      const lines = (await readFile(anchors, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      const count = lines.reduce((sum, line) => sum + (JSON.parse(line) as { count: number }).count, 0);
      return count === 2;
    });
    await readFile(path.resolve(config.DATA_DIR, DEV_PUBLIC_KEY_FILE), 'utf8');

    const held = await integrity();
    assert.equal(held.intact, true, JSON.stringify(held));
    assert.equal(held.anchoring.status, 'verified');
    assert.equal(held.anchoring.eventsAnchored, 2);

    const { rows } = await sut.db.pool.query<{ position: string }>(
      'SELECT position::text FROM es_events WHERE stream_name = $1 AND stream_revision = 1',
      [STREAM],
    );
    const client = await sut.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
      await client.query(`UPDATE es_events SET recorded_at = recorded_at - interval '1 year' WHERE position = $1`, [
        rows[0]?.position,
      ]);
      await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const broken = await integrity();
    assert.equal(broken.intact, false);
    assert.deepEqual(
      [broken.firstBreak?.position, broken.firstBreak?.problem, broken.firstBreak?.check],
      [rows[0]?.position, 'differs from its anchored seal', 'anchors'],
    );
  });
});
