import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CheckpointStore } from '#libs/platform';
import { committedEvents } from '#libs/testing';
import { contractFor, MESSAGE_CONTRACTS, type IntegrationType } from '../contracts/catalogue.js';
import { outboundValidator } from '../contracts/validation.js';
import { collect, type Collector } from './fixtures/collector.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { Relay } from './relay.js';
import { brokersFromRunner, keysOf, relayTestBed, type RelayTestBed } from './relay-test-setup.js';

describe('relay under normal running', () => {
  let bed: RelayTestBed;
  let relay: Relay;
  let consumer: Collector;
  let expected: string[];

  beforeAll(async () => {
    bed = await relayTestBed('relay_normal');
    expected = await bed.appendSamples(0, 20);
    consumer = await collect(brokersFromRunner(), bed.tenant);
    relay = new Relay(
      bed.store,
      new CheckpointStore(bed.db.pool),
      new KafkaPublisher({ brokers: brokersFromRunner().split(',') }),
      outboundValidator(),
      { batchSize: 100 },
    );
    await relay.start();
    await consumer.until((received) => received.length >= expected.length);
  });
  afterAll(async () => {
    await relay.stop();
    await consumer.stop();
    await bed.db.drop();
  });

  it('delivers every integration event once per domain event', () =>
    assert.deepEqual(keysOf(consumer.received).sort(), [...expected].sort()));

  it('covers every outbound message type', () =>
    assert.equal(new Set(consumer.received.map((m) => m.headers.ce_type)).size, MESSAGE_CONTRACTS.length));

  it('sends CloudEvents in binary mode with correlation id and schema version, keyed by stream', async () => {
    const [event] = await committedEvents(bed.db.pool, ['PlaceOffered']);
    assert.ok(event);
    const message = consumer.received.find((m) => m.headers.ce_id === event.eventId);
    assert.deepEqual(message && { key: message.key, topic: message.topic, headers: message.headers }, {
      key: event.streamName,
      topic: 'kulturskole.waitlist.v1',
      headers: {
        ce_specversion: '1.0',
        ce_id: event.eventId,
        ce_type: 'kulturskole.waitlist.offer-made.v1',
        ce_source: `/kulturskole/${bed.tenant}/waitlist`,
        ce_time: event.metadata.occurredAt,
        ce_dataschema: 'urn:kulturskole:schema:waitlist:offer-made:v1',
        ce_tenant: bed.tenant,
        'content-type': 'application/json',
        correlation_id: event.metadata.correlationId,
        schema_version: '1',
      },
    });
  });

  it('sends bodies that validate against their JSON Schema', () => {
    const validator = outboundValidator();
    const invalid = consumer.received.filter(
      (m) => validator.errors(contractFor(m.headers.ce_type as IntegrationType).type, m.body) !== undefined,
    );
    assert.deepEqual(invalid, []);
  });

  it('keeps the order of each stream within its topic', () => {
    const [stream] = consumer.received.filter((m) => m.topic === 'kulturskole.waitlist.v1').map((m) => m.key);
    const types = consumer.received.filter((m) => m.key === stream).map((m) => m.headers.ce_type);
    assert.deepEqual(types, [
      'kulturskole.waitlist.waitlist-joined.v1',
      'kulturskole.waitlist.offer-made.v1',
      'kulturskole.waitlist.offer-answered.v1',
      'kulturskole.waitlist.admission-refused.v1',
      'kulturskole.waitlist.offer-answered.v1',
      'kulturskole.waitlist.offer-answered.v1',
      'kulturskole.waitlist.waitlist-left.v1',
      'kulturskole.waitlist.waitlist-left.v1',
    ]);
  });

  it('moves its checkpoint to the head once acknowledged, and reports itself connected and caught up', async () => {
    const status = relay.status.current();
    assert.equal(status.state, 'connected');
    assert.equal(status.caughtUp, true);
    assert.equal(status.publishedMessages, expected.length);
    const stored = await new CheckpointStore(bed.db.pool).load('relay');
    assert.ok(stored !== undefined && stored >= ((await bed.store.headPosition()) ?? 0n));
  });

  it('publishes events appended while it runs', async () => {
    const more = await bed.appendSamples(20, 23);
    await consumer.until((received) => received.length >= expected.length + more.length);
    assert.deepEqual(keysOf(consumer.received).sort(), [...expected, ...more].sort());
  });
});
