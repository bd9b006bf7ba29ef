import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { PostgresEventStore } from '#libs/event-store';
import { createEventStoreTestDatabase, eventually, testEvent, type TestDatabase } from '#libs/testing';
import { verifyStore } from '../integrity/verify-store.js';
import { AnchorFile } from './anchor-file.js';
import { AnchorTopic } from './anchor-topic.js';
import { fileTarget, Sealer } from './sealer.js';
import { publicKeyPem, signingKeyOf } from './signing-key.js';

const brokers = () => {
  const given = process.env.KAFKA_BROKERS;
  if (!given) throw new Error('KAFKA_BROKERS is not set: run with the test setup, which starts a broker');
  return given.split(',');
};

describe('anchors on a Kafka topic', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createEventStoreTestDatabase('es_anchor_topic');
    dir = await mkdtemp(path.join(os.tmpdir(), 'anchors-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes every sealed checkpoint, in order, the same lines as the file; a copy of the topic verifies', async () => {
    const store = new PostgresEventStore(db.pool);
    const key = signingKeyOf(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'test',
    );
    const topic = new AnchorTopic(brokers(), `kulturskole.audit.anchors.v1-spec-${randomBytes(4).toString('hex')}`);
    const file = path.join(dir, 'anchors.jsonl');
    const sealer = new Sealer(
      db.pool,
      key,
      [fileTarget(new AnchorFile(file)), { name: 'kafka', publish: (lines) => topic.publish(lines) }],
      { maxEventsPerCheckpoint: 2 },
    );
    try {
      for (let n = 0; n < 5; n++) {
        await store.appendToStream(
          `trondheim.enrolment.offering-k${n}`,
          [testEvent('trondheim', 'OfferingOpened', { n })],
          {
            expectedRevision: 'no_stream',
          },
        );
      }
      await store.awaitSettled();
      const run = await sealer.run();
      assert.deepEqual(
        run.sealed.map((c) => c.events),
        [2, 2, 1],
      );
      assert.deepEqual(run.published, { file: { throughSeq: 3 }, kafka: { throughSeq: 3 } });
    } finally {
      await topic.close();
    }

    const kafka = new Kafka({ clientId: 'anchor-spec', brokers: brokers(), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `anchor-spec-${randomBytes(4).toString('hex')}` });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: topic.topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value?.toString() ?? '');
        },
      });
      await eventually(async () => received.length >= 3, 30_000);
    } finally {
      await consumer.disconnect();
    }
    const inFile = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(received, inFile);

    await writeFile(path.join(dir, 'from-topic.jsonl'), received.map((line) => `${line}\n`).join(''));
    await writeFile(path.join(dir, 'public.pem'), publicKeyPem(key.publicKey));
    const answer = await verifyStore(db.pool, 'trondheim', undefined, {
      settings: {
        file,
        keys: { dataDir: dir, production: true },
        intervalSeconds: 0,
      },
      file: path.join(dir, 'from-topic.jsonl'),
      publicKeyFile: path.join(dir, 'public.pem'),
    });
    assert.deepEqual(
      [answer.intact, answer.anchoring.status, answer.anchoring.checkpoints, answer.anchoring.eventsAnchored],
      [true, 'verified', 3, 5],
    );
  });
});
