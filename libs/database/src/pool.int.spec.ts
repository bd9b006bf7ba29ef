import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { createPool } from './pool.js';

describe('the application pool', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pool');
  });
  afterAll(async () => db.drop());

  it('lets the server end a transaction left open, so it cannot hold readers back for ever', async () => {
    const pool = createPool(db.url, { max: 1, applicationName: 'pool-test' });
    try {
      const { rows } = await pool.query<{ limit: string; name: string }>(
        "SELECT current_setting('idle_in_transaction_session_timeout') AS limit, current_setting('application_name') AS name",
      );
      assert.deepEqual(rows[0], { limit: '1min', name: 'pool-test' });
    } finally {
      await pool.end();
    }
  });
});
