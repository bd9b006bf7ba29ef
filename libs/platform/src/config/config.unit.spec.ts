import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { ConfigError, loadConfig, processManagerSharding, projectionSharding, tracingRequested } from './app-config.js';

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

  describe('secrets mounted as files (<NAME>_FILE)', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'config-secrets-'));
    const secret = (name: string, content: string) => {
      const file = path.join(folder, name);
      writeFileSync(file, content);
      return file;
    };

    it('reads the master key and the database URL from their files, trimmed', () => {
      const config = loadConfig({
        PERSONAL_DATA_MASTER_KEY_FILE: secret('master-key', 'a2V5\n'),
        DATABASE_URL_FILE: secret('database-url', 'postgres://u:p@h/db\n'),
      });
      assert.equal(config.PERSONAL_DATA_MASTER_KEY, 'a2V5');
      assert.equal(config.DATABASE_URL, 'postgres://u:p@h/db');
    });

    it('refuses a variable given both ways', () => {
      assert.throws(
        () => loadConfig({ PERSONAL_DATA_MASTER_KEY: 'a2V5', PERSONAL_DATA_MASTER_KEY_FILE: secret('both', 'a2V5') }),
        /set PERSONAL_DATA_MASTER_KEY or PERSONAL_DATA_MASTER_KEY_FILE, not both/,
      );
    });

    it('names a file that cannot be read, and an empty one', () => {
      assert.throws(
        () => loadConfig({ PERSONAL_DATA_MASTER_KEY_FILE: path.join(folder, 'missing') }),
        (error: unknown) =>
          error instanceof ConfigError && /PERSONAL_DATA_MASTER_KEY_FILE .*ENOENT/.test(error.message),
      );
      assert.throws(
        () => loadConfig({ DATABASE_URL_FILE: secret('empty', ' \n') }),
        /DATABASE_URL_FILE names an empty file/,
      );
    });

    it('never echoes a bad value read from a file', () => {
      assert.throws(
        () => loadConfig({ DATABASE_URL_FILE: secret('bad-url', 'mysql://user:hunter2@h/db') }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.includes('DATABASE_URL must be a postgres:// connection string (read from') &&
          !error.message.includes('hunter2'),
      );
    });
  });
});

describe('traces are asked for by the standard OTEL_* variables only', () => {
  it('starts the SDK for an OTLP endpoint or a named exporter, and never when disabled or set to none', () => {
    assert.equal(tracingRequested({}), false);
    assert.equal(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), true);
    assert.equal(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }), true);
    assert.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' }), true);
    assert.equal(
      tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
      false,
    );
    assert.equal(tracingRequested({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }), false);
  });
});

describe('read models split into shards (PROJECTION_SHARDS, PROJECTION_HOME_SHARDS)', () => {
  it('runs every read model whole by default, and each projector its home shards when asked', () => {
    assert.deepEqual(projectionSharding(loadConfig({})), { shards: 1 });
    const second = loadConfig({ PROJECTION_SHARDS: '4', PROJECTION_HOME_SHARDS: '1,3' });
    assert.deepEqual(projectionSharding(second), { shards: 4, homeShards: [1, 3] });
  });

  it('refuses no shards, too many, a list that is not one, and a home shard beyond the count', () => {
    for (const shards of ['0', '65', 'two'])
      assert.throws(() => loadConfig({ PROJECTION_SHARDS: shards }), /PROJECTION_SHARDS must be a number of shards/);
    assert.throws(
      () => loadConfig({ PROJECTION_HOME_SHARDS: 'first' }),
      /PROJECTION_HOME_SHARDS must be shard numbers/,
    );
    assert.throws(
      () => projectionSharding(loadConfig({ PROJECTION_SHARDS: '2', PROJECTION_HOME_SHARDS: '0,2' })),
      (error: unknown) =>
        error instanceof ConfigError && /names shard 2, but PROJECTION_SHARDS is 2/.test(error.message),
    );
  });
});

describe('process managers split into shards (PROCESS_MANAGER_SHARDS, PROCESS_MANAGER_HOME_SHARDS)', () => {
  it('runs every process manager whole by default, apart from the read models, and home shards when asked', () => {
    assert.deepEqual(processManagerSharding(loadConfig({ PROJECTION_SHARDS: '4' })), { shards: 1 });
    const second = loadConfig({ PROCESS_MANAGER_SHARDS: '2', PROCESS_MANAGER_HOME_SHARDS: '1' });
    assert.deepEqual(processManagerSharding(second), { shards: 2, homeShards: [1] });
    assert.deepEqual(projectionSharding(second), { shards: 1 });
  });

  it('refuses a count outside 1–4 (each held shard keeps a pooled connection) and a home shard beyond it', () => {
    for (const shards of ['0', '5'])
      assert.throws(
        () => loadConfig({ PROCESS_MANAGER_SHARDS: shards }),
        /PROCESS_MANAGER_SHARDS must be a number of shards/,
      );
    assert.throws(
      () => processManagerSharding(loadConfig({ PROCESS_MANAGER_SHARDS: '3', PROCESS_MANAGER_HOME_SHARDS: '3' })),
      (error: unknown) =>
        error instanceof ConfigError && /names shard 3, but PROCESS_MANAGER_SHARDS is 3/.test(error.message),
    );
  });
});
