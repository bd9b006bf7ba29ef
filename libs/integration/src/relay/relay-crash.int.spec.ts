import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { compiledFile } from '#libs/testing';
import { collect, dedupeKey, type Collector } from './fixtures/collector.js';
import { brokersFromRunner, keysOf, relayTestBed, type RelayTestBed } from './relay-test-setup.js';

const relayProcess = (bed: RelayTestBed): ChildProcess =>
  spawn(process.execPath, [compiledFile(new URL('./fixtures/relay-process.js', import.meta.url))], {
    env: { ...process.env, RELAY_DATABASE_URL: bed.db.url, RELAY_BROKERS: brokersFromRunner(), RELAY_BATCH: '50' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

describe('relay killed with SIGKILL mid-stream and restarted', () => {
  let bed: RelayTestBed;
  let consumer: Collector;
  let expected: string[];
  let receivedBeforeKill = 0;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    bed = await relayTestBed('relay_crash');
    expected = await bed.appendSamples(0, 200);
    consumer = await collect(brokersFromRunner(), bed.tenant);
    child = relayProcess(bed);
    await consumer.until((received) => received.length >= expected.length / 5);
    child.kill('SIGKILL');
    await once(child, 'exit');
    receivedBeforeKill = consumer.received.length;
    child = relayProcess(bed);
    const all = new Set(expected);
    await consumer.until((received) => new Set(keysOf(received).filter((k) => all.has(k))).size === all.size, 120_000);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await consumer.stop();
    await bed.db.drop();
  });

  it('was killed mid-stream', () =>
    assert.ok(
      receivedBeforeKill > 0 && receivedBeforeKill < expected.length,
      `${receivedBeforeKill} of ${expected.length} before the kill`,
    ));

  it('delivers every event at least once after the restart', () => {
    const got = new Set(keysOf(consumer.received));
    assert.deepEqual(
      expected.filter((key) => !got.has(key)),
      [],
    );
  });

  it('yields each event exactly once when the consumer deduplicates by ce_id', () => {
    const seen = new Set<string>();
    const deduplicated = consumer.received.filter((message) => {
      const key = dedupeKey(message);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    assert.deepEqual(keysOf(deduplicated).sort(), [...expected].sort());
  });
});
