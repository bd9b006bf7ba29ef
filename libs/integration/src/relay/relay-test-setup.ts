// Shared setup of the relay integration tests: a migrated database, a unique tenant and the sample events.
import { randomBytes } from 'node:crypto';
import { migrate } from '#libs/database';
import { PostgresEventStore, type RecordedEvent } from '#libs/event-store';
import { platformMigrations } from '#libs/platform';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { sampleAppends } from '../translation/domain-event-samples.js';
import { translate } from '../translation/translate.js';
import { dedupeKey, type Received } from './fixtures/collector.js';

export interface RelayTestBed {
  db: TestDatabase;
  store: PostgresEventStore;
  tenant: string;
  /** Appends sample sets [from, to) and returns the dedupe keys of the messages they must produce. */
  appendSamples(from: number, to: number): Promise<string[]>;
}

export const relayTestBed = async (label: string): Promise<RelayTestBed> => {
  const db = await createTestDatabase(label);
  await migrate(db.pool, platformMigrations);
  const store = new PostgresEventStore(db.pool);
  const tenant = `t${randomBytes(5).toString('hex')}`;
  return {
    db,
    store,
    tenant,
    async appendSamples(from, to) {
      const expected: string[] = [];
      for (let n = from; n < to; n++) {
        for (const { streamName, events } of sampleAppends(tenant, n, label)) {
          await store.appendToStream(streamName, events, { expectedRevision: 'no_stream' });
          const recorded = events.map((event, revision): RecordedEvent => ({
            ...event,
            streamName,
            streamRevision: revision,
            position: 0n,
            recordedAt: new Date(),
          }));
          for (const message of recorded.flatMap(translate)) {
            expected.push(dedupeKey({ topic: message.topic, key: '', headers: { ce_id: message.id }, body: null }));
          }
        }
      }
      return expected;
    },
  };
};

export const keysOf = (received: readonly Received[]): string[] => received.map(dedupeKey);

export const brokersFromRunner = (): string => {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || brokers === 'none') throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`');
  return brokers;
};
