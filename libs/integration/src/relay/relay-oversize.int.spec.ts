import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { RecordedEvent } from '#libs/event-store';
import { CheckpointStore } from '#libs/platform';
import { outboundValidator } from '../contracts/validation.js';
import { translate } from '../translation/translate.js';
import { collect, type Collector } from './fixtures/collector.js';
import { feesAssessed, householdStream } from './fixtures/sized-events.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { kafkaRecordBytes, refusedForSize } from './message-size.js';
import { Relay } from './relay.js';
import { PostgresRelayParking } from './relay-parking.js';
import { brokersFromRunner, keysOf, relayTestBed, type RelayTestBed } from './relay-test-setup.js';

const until = async (what: string, done: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
};

/** 15,000 fee lines: about 1.4 MB as one message, more than Kafka's default message.max.bytes. */
const HUGE_LINES = 15_000;

describe('relay meeting an event too large for a broker with Kafka’s default limits', () => {
  let bed: RelayTestBed;
  let relay: Relay;
  let parking: PostgresRelayParking;
  let consumer: Collector;
  let samples: string[];
  let appended: Record<'a0' | 'b0' | 'huge' | 'b1' | 'a2' | 'b2', RecordedEvent>;

  const recorded = async (stream: string, revision: number): Promise<RecordedEvent> => {
    const [event] = await bed.store.readStream(stream, { fromRevision: revision, maxCount: 1 });
    assert.ok(event);
    return event;
  };
  const received = (event: RecordedEvent) => consumer.received.some((m) => m.headers.ce_id === event.eventId);

  beforeAll(async () => {
    bed = await relayTestBed('relay_oversize');
    samples = await bed.appendSamples(0, 2);
    const [a, b] = [householdStream(bed.tenant, 'a'), householdStream(bed.tenant, 'b')];
    const append = async (stream: string, household: string, index: number, lines: number) =>
      bed.store.appendToStream(stream, [feesAssessed(bed.tenant, household, index, lines, 'relay-oversize')], {
        expectedRevision: index === 0 ? 'no_stream' : index - 1,
      });
    await append(a, 'a', 0, 3);
    await append(b, 'b', 0, 3);
    await append(a, 'a', 1, HUGE_LINES);
    await append(b, 'b', 1, 3);
    await append(a, 'a', 2, 3);
    await append(b, 'b', 2, 3);
    appended = {
      a0: await recorded(a, 0),
      b0: await recorded(b, 0),
      huge: await recorded(a, 1),
      b1: await recorded(b, 1),
      a2: await recorded(a, 2),
      b2: await recorded(b, 2),
    };
    samples.push(...(await bed.appendSamples(2, 4)));

    consumer = await collect(brokersFromRunner(), bed.tenant);
    parking = new PostgresRelayParking(bed.db.pool);
    relay = new Relay(
      bed.store,
      new CheckpointStore(bed.db.pool),
      new KafkaPublisher({ brokers: brokersFromRunner().split(',') }),
      outboundValidator(),
      // Parked events are tried again every half second: with the broker unchanged they must stay parked.
      { parking, parkedRetryMs: 500, batchSize: 100 },
    );
    await relay.start();
    const head = (await bed.store.headPosition()) ?? 0n;
    await until('the checkpoint to reach the head', () => {
      const { checkpoint, caughtUp } = relay.status.current();
      return caughtUp && checkpoint !== null && BigInt(checkpoint) >= head;
    });
    await consumer.until((got) => got.length >= samples.length + 4);
    await sleep(1_500); // three retries of the parked events
  });
  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await bed?.db.drop();
  });

  it('is larger than the broker accepts', () => {
    const [message] = translate(appended.huge);
    assert.ok(message && kafkaRecordBytes(message) > 1_048_588);
  });

  it('publishes everything else, other streams and the events of its own stream before it', () => {
    const got = new Set(keysOf(consumer.received));
    assert.deepEqual(
      samples.filter((key) => !got.has(key)),
      [],
    );
    for (const event of [appended.a0, appended.b0, appended.b1, appended.b2]) assert.ok(received(event), event.type);
  });

  it('parks it, with the later event of its stream held behind it, and neither is published', async () => {
    assert.equal(received(appended.huge), false);
    assert.equal(received(appended.a2), false);
    const open = await parking.open('relay');
    assert.deepEqual(
      open.map((row) => ({ position: row.position, eventId: row.eventId, kind: row.kind })),
      [
        { position: appended.huge.position, eventId: appended.huge.eventId, kind: 'too-large' },
        { position: appended.a2.position, eventId: appended.a2.eventId, kind: 'held' },
      ],
    );
    assert.match(open[0]?.reason ?? '', /the broker accepts at most 1048588 \(broker\)/);
    assert.ok((open[0]?.bytes ?? 0) > 1_048_588 && open[0]?.limitBytes === 1_048_588);
  });

  it('says degraded, naming the parked event, its position and why', () => {
    const status = relay.status.current();
    assert.equal(status.parkedEvents, 2);
    assert.deepEqual(
      status.blocking.map((e) => ({ position: e.position, eventId: e.eventId, type: e.eventType, held: e.held })),
      [
        {
          position: String(appended.huge.position),
          eventId: appended.huge.eventId,
          type: 'SemesterFeesAssessed',
          held: 1,
        },
      ],
    );
    const assessment = relay.status.assess(0);
    assert.equal(assessment.status, 'degraded');
    assert.match(assessment.reasons.join('\n'), /2 event\(s\) parked: 1 too large for the broker/);
  });

  it('recognises the real broker’s refusal of an oversize request as one for its size', async () => {
    const publisher = new KafkaPublisher({ brokers: brokersFromRunner().split(',') });
    try {
      const error = await publisher.publish(translate(appended.huge)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error, 'the broker accepted an oversize message');
      assert.ok(refusedForSize(error), String(error));
    } finally {
      await publisher.close();
    }
  });

  it('goes on when an operator skips it: the held event follows, the skipped one never, and who skipped is kept', async () => {
    const skipped = await parking.skip('relay', appended.huge.position, {
      tenant: bed.tenant,
      subject: 'admin-1',
      reason: 'billing re-imports this assessment from its CSV export',
    });
    assert.ok(skipped);
    relay.wake();
    await until('the held event to be published', () => received(appended.a2));
    await until('nothing to be parked', () => relay.status.current().parkedEvents === 0);
    assert.equal(received(appended.huge), false);
    const [row] = await parking
      .list('relay', bed.tenant, 10)
      .then((rows) => rows.filter((r) => r.kind === 'too-large'));
    assert.deepEqual(row && { resolution: row.resolution, by: row.resolvedBy, note: row.note }, {
      resolution: 'skipped',
      by: `${bed.tenant}/admin-1`,
      note: 'billing re-imports this assessment from its CSV export',
    });
    assert.equal(relay.status.assess(0).status, 'up');
  });
});
