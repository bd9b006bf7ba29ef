import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('configuration', () => {
  it('has working defaults for the embedded start', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.EVENT_STORE, 'postgres');
    assert.equal(config.DEFAULT_TENANT, 'trondheim');
  });

  it('reads given values and converts numbers', () => {
    const config = loadConfig({ PORT: '8080', KAFKA_BROKERS: 'kafka:9092', DATABASE_URL: 'postgres://u@h/db' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.KAFKA_BROKERS, 'kafka:9092');
  });

  for (const [variable, value, expected] of [
    ['PORT', 'eighty', 'PORT must be an integer port 0–65535 (got "eighty")'],
    ['PORT', '70000', 'PORT must be an integer port 0–65535 (got "70000")'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgres:// connection string (got "mysql://x")'],
    ['EVENT_STORE', 'mongo', 'EVENT_STORE must be postgres or eventstoredb (got "mongo")'],
    ['KAFKA_BROKERS', 'kafka', 'KAFKA_BROKERS must be host:port[,host:port…] (got "kafka")'],
  ] as const) {
    it(`stops on a malformed ${variable} with one line naming it`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => error instanceof ConfigError && error.message === `Configuration error: ${expected}`,
      );
    });
  }
});
