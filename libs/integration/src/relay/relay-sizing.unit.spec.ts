import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from '@jest/globals';
import type {
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
} from '#libs/event-store';
import type { CheckpointStore } from '#libs/platform';
import { outboundValidator } from '../contracts/validation.js';
import type { IntegrationMessage } from '../translation/integration-message.js';
import { feesAssessed, householdStream } from './fixtures/sized-events.js';
import type { MessageSink } from './kafka-publisher.js';
import { kafkaRecordBytes, sinkLimits, type SinkLimits } from './message-size.js';
import { Relay, type RelayOptions } from './relay.js';
import type { ParkedEvent, ParkedEventRow, RelayParking } from './relay-parking.js';

/** Kafka as it ships: message.max.bytes = 1 MiB + 12 bytes. */
const KAFKA_DEFAULT = 1_048_588;

class MemoryStore implements Pick<EventStore, 'readAll' | 'readStream' | 'headPosition'> {
  readonly events: RecordedEvent[] = [];
  private revisions = new Map<string, number>();

  append(streamName: string, event: NewEvent): RecordedEvent {
    const streamRevision = (this.revisions.get(streamName) ?? -1) + 1;
    this.revisions.set(streamName, streamRevision);
    const recorded = {
      ...event,
      streamName,
      streamRevision,
      position: BigInt(this.events.length + 1),
      recordedAt: new Date(),
    };
    this.events.push(recorded);
    return recorded;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const after = options.fromPosition ?? 0n;
    const rest = this.events.filter((e) => e.position > after);
    const page = rest.slice(0, options.maxCount ?? 1_000);
    const types = options.filter?.eventTypes;
    return {
      events: page.filter((e) => !types || types.includes(e.type)),
      lastPosition: page.at(-1)?.position ?? options.fromPosition ?? this.events.at(-1)?.position,
      isEnd: page.length === rest.length,
    };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    return this.events
      .filter((e) => e.streamName === streamName && e.streamRevision >= from)
      .slice(0, options.maxCount ?? Infinity);
  }

  async headPosition(): Promise<bigint | undefined> {
    return this.events.at(-1)?.position;
  }
}

class MemoryCheckpoints {
  position: bigint | undefined;
  async load(): Promise<bigint | undefined> {
    return this.position;
  }
  async save(_name: string, position: bigint): Promise<void> {
    if (this.position === undefined || position > this.position) this.position = position;
  }
}

const tooLarge = () =>
  Object.assign(new Error('The request included a message larger than the max message size the server will accept'), {
    type: 'MESSAGE_TOO_LARGE',
  });

/** A broker that says its limit is `limit` and refuses any request it finds larger than `refuseAbove`. */
class FakeBroker implements MessageSink {
  readonly accepted: IntegrationMessage[] = [];
  readonly requestBytes: number[] = [];
  refused = 0;

  constructor(
    public limit = KAFKA_DEFAULT,
    public refuseAbove = KAFKA_DEFAULT,
  ) {}

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    const bytes = messages.reduce((sum, m) => sum + kafkaRecordBytes(m), 0);
    if (bytes > this.refuseAbove) {
      this.refused += 1;
      throw tooLarge();
    }
    this.requestBytes.push(bytes);
    this.accepted.push(...messages);
  }

  async close(): Promise<void> {}

  async limits(): Promise<SinkLimits> {
    return sinkLimits(this.limit, 'broker');
  }
}

class MemoryParking implements RelayParking {
  readonly rows: ParkedEventRow[] = [];
  async ready(): Promise<void> {}
  async park(_relay: string, events: readonly ParkedEvent[]): Promise<void> {
    for (const event of events) {
      if (this.rows.some((row) => row.position === event.position)) continue;
      this.rows.push({
        ...event,
        parkedAt: new Date(),
        resolution: null,
        resolvedAt: null,
        resolvedBy: null,
        note: null,
      });
    }
    this.rows.sort((a, b) => (a.position < b.position ? -1 : 1));
  }
  async open(): Promise<ParkedEventRow[]> {
    return this.rows.filter((row) => row.resolvedAt === null);
  }
  async resolve(_relay: string, positions: readonly bigint[], resolution: 'published' | 'not-in-store'): Promise<void> {
    for (const row of this.rows) {
      if (positions.includes(row.position) && !row.resolvedAt)
        Object.assign(row, { resolution, resolvedAt: new Date() });
    }
  }
  async stillParked(_relay: string, position: bigint, reason: string): Promise<void> {
    const row = this.rows.find((r) => r.position === position);
    if (row) row.reason = reason;
  }
  async skip(_relay: string, position: bigint, by: { tenant: string; subject: string; reason: string }) {
    const row = this.rows.find((r) => r.position === position && r.kind === 'too-large' && !r.resolvedAt);
    if (!row) return undefined;
    return Object.assign(row, {
      resolution: 'skipped' as const,
      resolvedAt: new Date(),
      resolvedBy: `${by.tenant}/${by.subject}`,
      note: by.reason,
    });
  }
  async list(): Promise<ParkedEventRow[]> {
    return this.rows;
  }
}

const until = async (what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
};

const tenant = 'trondheim';
const relays: Relay[] = [];

const startRelay = async (
  store: MemoryStore,
  broker: FakeBroker,
  options: RelayOptions = {},
): Promise<{ relay: Relay; checkpoints: MemoryCheckpoints }> => {
  const checkpoints = new MemoryCheckpoints();
  const relay = new Relay(
    store as unknown as EventStore,
    checkpoints as unknown as CheckpointStore,
    broker,
    outboundValidator(),
    { idlePollMs: 5, retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options },
  );
  relays.push(relay);
  await relay.start();
  return { relay, checkpoints };
};

const caughtUp = (relay: Relay, store: MemoryStore) => () => {
  const status = relay.status.current();
  return status.caughtUp && status.checkpoint === String(store.events.at(-1)?.position);
};

const ids = (messages: readonly IntegrationMessage[]) => messages.map((m) => m.id);

/** Households h0..h(streams-1), `perStream` assessments of `lines` lines each, appended round-robin. */
const backlog = (store: MemoryStore, streams: number, perStream: number, lines: number): RecordedEvent[] => {
  const appended: RecordedEvent[] = [];
  for (let index = 0; index < perStream; index++) {
    for (let h = 0; h < streams; h++) {
      appended.push(
        store.append(householdStream(tenant, `h${h}`), feesAssessed(tenant, `h${h}`, index, lines, 'unit')),
      );
    }
  }
  return appended;
};

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop();
});

describe('relay requests sized by bytes', () => {
  it('sends a backlog in requests that each fit the broker’s limit, every event once and in order', async () => {
    const store = new MemoryStore();
    const events = backlog(store, 300, 10, 6);
    const broker = new FakeBroker();
    const { relay } = await startRelay(store, broker);
    await until('the backlog to be published', caughtUp(relay, store));
    assert.deepEqual(
      ids(broker.accepted),
      events.map((e) => e.eventId),
    );
    const limits = relay.status.current().limits;
    assert.ok(limits && limits.maxMessageBytes === KAFKA_DEFAULT && limits.source === 'broker');
    assert.equal(broker.refused, 0);
    assert.ok(
      Math.max(...broker.requestBytes) <= limits.maxRequestBytes,
      `largest ${Math.max(...broker.requestBytes)}`,
    );
    const total = broker.requestBytes.reduce((a, b) => a + b, 0);
    assert.ok(total > 2 * KAFKA_DEFAULT, `the backlog (${total} bytes) needs several requests`);
    assert.equal(relay.status.assess(0).status, 'up');
  });

  it('sends smaller requests when the broker refuses one the estimate let through, and loses nothing', async () => {
    const store = new MemoryStore();
    const events = backlog(store, 50, 20, 6);
    const broker = new FakeBroker(KAFKA_DEFAULT, 200_000);
    const { relay } = await startRelay(store, broker);
    await until('the backlog to be published', caughtUp(relay, store));
    assert.ok(broker.refused > 0);
    assert.deepEqual(
      ids(broker.accepted),
      events.map((e) => e.eventId),
    );
    assert.ok(Math.max(...broker.requestBytes) <= 200_000);
    assert.equal(relay.status.current().parkedEvents, 0);
  });
});

describe('an event too large for the broker', () => {
  const scenario = () => {
    const store = new MemoryStore();
    const a = householdStream(tenant, 'a');
    const b = householdStream(tenant, 'b');
    const a0 = store.append(a, feesAssessed(tenant, 'a', 0, 3, 'unit'));
    const b0 = store.append(b, feesAssessed(tenant, 'b', 0, 3, 'unit'));
    const huge = store.append(a, feesAssessed(tenant, 'a', 1, 15_000, 'unit'));
    const b1 = store.append(b, feesAssessed(tenant, 'b', 1, 3, 'unit'));
    const a2 = store.append(a, feesAssessed(tenant, 'a', 2, 3, 'unit'));
    const b2 = store.append(b, feesAssessed(tenant, 'b', 2, 3, 'unit'));
    return { store, a0, b0, huge, b1, a2, b2 };
  };

  it('is parked with its stream’s later events held; every other stream goes on; the relay says degraded', async () => {
    const { store, a0, b0, huge, b1, a2, b2 } = scenario();
    const broker = new FakeBroker();
    const parking = new MemoryParking();
    const { relay, checkpoints } = await startRelay(store, broker, { parking, parkedRetryMs: 60_000 });
    await until('the relay to pass the parked event', caughtUp(relay, store));
    assert.deepEqual(
      ids(broker.accepted),
      [a0, b0, b1, b2].map((e) => e.eventId),
    );
    assert.equal(checkpoints.position, b2.position);
    assert.deepEqual(
      parking.rows.map((r) => [r.position, r.kind]),
      [
        [huge.position, 'too-large'],
        [a2.position, 'held'],
      ],
    );
    const status = relay.status.current();
    assert.equal(status.parkedEvents, 2);
    assert.deepEqual(
      status.blocking.map((e) => ({ position: e.position, eventId: e.eventId, held: e.held })),
      [{ position: String(huge.position), eventId: huge.eventId, held: 1 }],
    );
    assert.match(status.blocking[0]?.reason ?? '', /the broker accepts at most 1048588/);
    const assessment = relay.status.assess(0);
    assert.equal(assessment.status, 'degraded');
    assert.match(assessment.reasons.join(' '), /2 event\(s\) parked/);
  });

  it('is published, and then what it held, once the broker’s limit is raised', async () => {
    const { store, a0, b0, huge, b1, a2, b2 } = scenario();
    const broker = new FakeBroker();
    const parking = new MemoryParking();
    const { relay } = await startRelay(store, broker, { parking, parkedRetryMs: 60_000 });
    await until('the relay to pass the parked event', caughtUp(relay, store));
    broker.limit = broker.refuseAbove = 16 * 1024 * 1024;
    relay.wake();
    await until('the parked events to be published', () => relay.status.current().parkedEvents === 0);
    assert.deepEqual(
      ids(broker.accepted),
      [a0, b0, b1, b2, huge, a2].map((e) => e.eventId),
    );
    assert.deepEqual(
      parking.rows.map((r) => r.resolution),
      ['published', 'published'],
    );
    // What the stream appends next comes after them.
    const a3 = store.append(householdStream(tenant, 'a'), feesAssessed(tenant, 'a', 3, 3, 'unit'));
    await until('the next event', () => broker.accepted.at(-1)?.id === a3.eventId);
    assert.equal(relay.status.assess(0).status, 'up');
  });

  it('is passed over when an operator skips it, and the events it held follow', async () => {
    const { store, a0, b0, huge, b1, a2, b2 } = scenario();
    const broker = new FakeBroker();
    const parking = new MemoryParking();
    const { relay } = await startRelay(store, broker, { parking, parkedRetryMs: 60_000 });
    await until('the relay to pass the parked event', caughtUp(relay, store));
    const skipped = await parking.skip('relay', huge.position, {
      tenant,
      subject: 'admin-1',
      reason: 'billing has it',
    });
    assert.ok(skipped);
    relay.wake();
    await until('the held event to be published', () => relay.status.current().parkedEvents === 0);
    assert.deepEqual(
      ids(broker.accepted),
      [a0, b0, b1, b2, a2].map((e) => e.eventId),
    );
    assert.deepEqual(
      parking.rows.map((r) => [r.resolution, r.resolvedBy]),
      [
        ['skipped', 'trondheim/admin-1'],
        ['published', null],
      ],
    );
  });

  it('is parked with the broker’s own reason when the broker refuses it alone though the estimate fit', async () => {
    const { store, huge } = scenario();
    const broker = new FakeBroker(16 * 1024 * 1024, KAFKA_DEFAULT);
    const parking = new MemoryParking();
    const { relay } = await startRelay(store, broker, { parking, parkedRetryMs: 60_000 });
    await until('the relay to pass the parked event', caughtUp(relay, store));
    assert.equal(parking.rows[0]?.position, huge.position);
    assert.match(parking.rows[0]?.reason ?? '', /^the broker refused it: The request included a message larger/);
  });

  it('stays parked as too large when the requests around it are refused and sent again smaller', async () => {
    const { store, a0, b0, huge, b1, a2, b2 } = scenario();
    const broker = new FakeBroker(KAFKA_DEFAULT, 1_500); // about one small event per request
    const parking = new MemoryParking();
    const { relay } = await startRelay(store, broker, { parking, parkedRetryMs: 60_000 });
    await until('the relay to pass the parked event', caughtUp(relay, store));
    assert.ok(broker.refused > 0);
    assert.deepEqual(
      ids(broker.accepted),
      [a0, b0, b1, b2].map((e) => e.eventId),
    );
    assert.deepEqual(
      parking.rows.map((r) => [r.position, r.kind]),
      [
        [huge.position, 'too-large'],
        [a2.position, 'held'],
      ],
    );
  });

  it('stops a relay without a parking table right before it, degraded and naming it, until the limit is raised', async () => {
    const { store, b0, huge } = scenario();
    const broker = new FakeBroker();
    const { relay, checkpoints } = await startRelay(store, broker);
    await until('the relay to report what blocks it', () => relay.status.current().blocking.length > 0);
    const status = relay.status.current();
    assert.equal(status.state, 'degraded');
    assert.equal(status.blocking[0]?.eventId, huge.eventId);
    assert.match(status.lastError ?? '', new RegExp(`event ${huge.eventId} .* is too large for the broker`));
    assert.equal(checkpoints.position, b0.position);
    broker.limit = broker.refuseAbove = 16 * 1024 * 1024;
    await until('the relay to go on', caughtUp(relay, store));
    assert.equal(broker.accepted.length, store.events.length);
    assert.equal(relay.status.current().blocking.length, 0);
  });
});

describe('relay health', () => {
  it('says degraded when events wait and the checkpoint has not moved for a while, up when it moves', async () => {
    const store = new MemoryStore();
    const broker = new FakeBroker();
    let acknowledge = (): void => undefined;
    broker.publish = () => new Promise<void>((resolve) => (acknowledge = resolve)); // not acknowledged until the end
    backlog(store, 1, 1, 3);
    const { relay } = await startRelay(store, broker, { stallAfterMs: 50, slowAckMs: 60_000 });
    assert.equal(relay.status.assess(0).status, 'up');
    await sleep(80);
    const stalled = relay.status.assess(12);
    assert.equal(stalled.status, 'degraded');
    assert.match(stalled.reasons.join(' '), /not publishing: events have waited 12 s/);
    acknowledge();
    await until('the checkpoint to move', caughtUp(relay, store));
    assert.equal(relay.status.assess(0).status, 'up');
  });
});
