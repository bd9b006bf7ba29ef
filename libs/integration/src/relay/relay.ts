import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { appendWatchOf, type EventStore, type ReadAllPage, type RecordedEvent } from '#libs/event-store';
import { contextFrom, tracer, type CheckpointStore } from '#libs/platform';
import { SpanKind, SpanStatusCode, context as otelContext, propagation, trace, type Span } from '@opentelemetry/api';
import type { SchemaValidator } from '../contracts/validation.js';
import type { IntegrationMessage } from '../translation/integration-message.js';
import { TRANSLATED_EVENT_TYPES, translate } from '../translation/translate.js';
import type { MessageSink } from './kafka-publisher.js';
import {
  BATCH_OVERHEAD,
  DEFAULT_SINK_LIMITS,
  kafkaRecordBytes,
  largestSendable,
  refusedForSize,
  type SinkLimits,
} from './message-size.js';
import type { ParkedEvent, ParkedEventRow, RelayParking } from './relay-parking.js';
import { RelayStatus } from './relay-status.js';

export interface RelayOptions {
  /** The checkpoint's name. */
  name?: string;
  /** Events read from `$all` per batch; their messages go to the broker in requests sized by bytes. */
  batchSize?: number;
  /** How often to look for new events once caught up, on a store that does not wake its readers (ADR 0017). */
  idlePollMs?: number;
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** A publish that has not been acknowledged after this long shows the relay degraded while it still waits. */
  slowAckMs?: number;
  /**
   * Where an event too large for the broker is parked (with the later events of its stream held behind it) while
   * the relay goes on with every other stream. Without it the relay stops at such an event, degraded and naming it,
   * until the broker accepts it.
   */
  parking?: RelayParking;
  /** How often parked events are tried again (the broker's limit may have been raised); default 30 s. */
  parkedRetryMs?: number;
  /** Events waiting this long without the checkpoint moving make the relay degraded; default 30 s. */
  stallAfterMs?: number;
}

/** One event and the messages it becomes, with their size as Kafka records. */
interface Outbound {
  event: RecordedEvent;
  messages: IntegrationMessage[];
  /** All its records. */
  bytes: number;
  /** Its records for the topic that gets most of them: what one record batch of it must hold. */
  largestBatch: number;
}

/** An event the broker will not take, met by a relay without a parking table: it stops there. */
/** Which event a parked row is about: references only, never its data. */
const eventRef = (event: RecordedEvent) => ({
  position: event.position,
  eventId: event.eventId,
  streamName: event.streamName,
  streamRevision: event.streamRevision,
  eventType: event.type,
  tenant: event.metadata.tenant,
});

export class EventTooLarge extends Error {
  override readonly name = 'EventTooLarge';
  constructor(
    readonly event: RecordedEvent,
    readonly reason: string,
  ) {
    super(
      `event ${event.eventId} (${event.type}, position ${event.position}, stream ${event.streamName}) is too large ` +
        `for the broker: ${reason}; the relay waits until the broker's limit is raised`,
    );
  }
}

/**
 * A publish span per event in the trace its metadata carries (a batch mixes traces, so the kafkajs instrumentation's
 * own send span cannot be their child); its context goes out as the message's `ce_traceparent`. No spans when off.
 */
const traced = (chunk: readonly Outbound[]): { messages: IntegrationMessage[]; spans: Span[] } => {
  const spans: Span[] = [];
  const messages = chunk.flatMap((item) => {
    if (!item.event.metadata.traceparent) return item.messages;
    const span = tracer().startSpan(
      `relay publish ${item.event.type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': item.messages[0]?.topic ?? '',
          'kulturskole.event_type': item.event.type,
        },
      },
      contextFrom(item.event.metadata),
    );
    spans.push(span);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(otelContext.active(), span), carrier);
    const { traceparent, tracestate } = carrier;
    return item.messages.map((message) => ({ ...message, traceparent, ...(tracestate ? { tracestate } : {}) }));
  });
  return { messages, spans };
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Publishes the store's integration events at least once, in `$all` order per stream: read a batch after the
 * checkpoint, translate, validate every message against its schema, send in requests that fit the broker's limit,
 * and move the checkpoint only after the broker has acknowledged. Any failure backs off and resends from the
 * checkpoint; event ids make resends dedupable.
 *
 * An event whose messages cannot fit in any request the broker accepts is parked (see RelayParking) with the later
 * events of its stream held behind it, and the relay goes on with the other streams; it is published when the
 * broker's limit is raised, or passed over when an operator skips it. Never dropped unseen, never a stalled relay.
 */
export class Relay {
  readonly status: RelayStatus;
  private readonly logger = new Logger('relay');
  private readonly abort = new AbortController();
  private readonly name: string;
  private readonly batchSize: number;
  private readonly parking: RelayParking | undefined;
  private position: bigint | undefined;
  private running: Promise<void> | undefined;
  /** Streams with a parked event: the position of the first one; their later events are held behind it. */
  private blocked = new Map<string, bigint>();
  private parkedStale = false;
  private limitsStale = false;
  private wakeRequested = false;
  private lastDrainAt = 0;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly sink: MessageSink,
    private readonly validator: SchemaValidator,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? 'relay';
    this.batchSize = options.batchSize ?? 2_000;
    this.parking = options.parking;
    this.status = new RelayStatus(options.stallAfterMs);
  }

  /** The checkpoint's name, which also keys its parked events. */
  get checkpointName(): string {
    return this.name;
  }

  async start(): Promise<void> {
    await this.parking?.ready();
    this.position = await this.checkpoints.load(this.name);
    this.status.checkpointed(this.position, false);
    await this.reloadParked();
    this.wakeRequested = this.blocked.size > 0;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.sink.close();
    this.status.set('stopped');
  }

  /** Look at the parked events again now (an operator skipped one, or raised the broker's limit). */
  wake(): void {
    this.wakeRequested = true;
    this.parkedStale = true;
    this.limitsStale = true;
  }

  private read(from: bigint | undefined): Promise<ReadAllPage> {
    return this.store.readAll({
      fromPosition: from,
      maxCount: this.batchSize,
      filter: { eventTypes: TRANSLATED_EVENT_TYPES },
    });
  }

  private async run(): Promise<void> {
    const initialDelay = this.options.retry?.initialDelayMs ?? 250;
    const maxDelay = this.options.retry?.maxDelayMs ?? 30_000;
    let attempt = 0;
    let prefetched: Promise<ReadAllPage> | undefined;
    // The previous batch's send and checkpoint: the next batch is read, translated and validated meanwhile, and is
    // sent only once the previous one is acknowledged and checkpointed, so order and at-least-once hold.
    let inFlight: Promise<void> = Promise.resolve();
    const watch = appendWatchOf(this.store, this.options.idlePollMs ?? 100);
    while (!this.abort.signal.aborted) {
      try {
        const page = await (prefetched ?? this.read(this.position));
        prefetched = undefined;
        if (!page.isEnd && page.lastPosition !== undefined) {
          prefetched = this.read(page.lastPosition);
          prefetched.catch(() => undefined);
        }
        const outbound = this.prepare(page.events);
        await inFlight;
        if (this.parkedStale) await this.reloadParked();
        if (this.drainDue()) await this.drain();
        inFlight = this.publish(page, outbound);
        inFlight.catch(() => undefined);
        if (page.isEnd) await inFlight;
        attempt = 0;
        if (page.isEnd) {
          if (page.events.length === 0) this.status.healthy();
          await watch.next(this.position, this.abort.signal);
        }
      } catch (error) {
        prefetched = undefined;
        inFlight = Promise.resolve();
        // What the failed batch parked may not be recorded; what the broker takes may have changed.
        this.parkedStale = true;
        this.limitsStale = true;
        if (this.abort.signal.aborted) return;
        attempt += 1;
        const reason = messageOf(error);
        if (error instanceof EventTooLarge) this.status.parked([this.unparked(error)]);
        this.status.degraded(reason, new Date());
        if (attempt === 1 || attempt % 10 === 0) this.logger.warn({ attempt, reason }, 'relay degraded; retrying');
        const delay = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 16));
        await sleep(delay * (0.5 + Math.random() / 2), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
    await inFlight.catch(() => undefined);
  }

  private prepare(events: readonly RecordedEvent[]): Outbound[] {
    const outbound: Outbound[] = [];
    for (const event of events) {
      const messages = translate(event);
      if (messages.length === 0) continue;
      // A message that breaks its contract is a bug in a translator: stop here rather than send it or skip it.
      for (const message of messages) this.validator.check(message.type, message.body);
      let bytes = 0;
      const perTopic = new Map<string, number>();
      for (const message of messages) {
        const size = kafkaRecordBytes(message);
        bytes += size;
        perTopic.set(message.topic, (perTopic.get(message.topic) ?? 0) + size);
      }
      outbound.push({ event, messages, bytes, largestBatch: Math.max(...perTopic.values()) });
    }
    return outbound;
  }

  private async limits(): Promise<SinkLimits> {
    const fresh = this.limitsStale;
    const limits = (await this.sink.limits?.(fresh)) ?? DEFAULT_SINK_LIMITS;
    this.limitsStale = false;
    this.status.limited(limits);
    return limits;
  }

  private tooLargeReason(item: Outbound, limits: SinkLimits): string {
    return (
      `its messages take ${item.largestBatch + BATCH_OVERHEAD} bytes as one record batch; the broker accepts at ` +
      `most ${limits.maxMessageBytes} (${limits.source})`
    );
  }

  /**
   * Sends one batch's messages in requests of at most the broker's limit, in order; parks what cannot fit and holds
   * back what follows it in its stream; moves the checkpoint after each acknowledged request.
   */
  private async publish(page: ReadAllPage, outbound: readonly Outbound[]): Promise<void> {
    const limits = await this.limits();
    const parks = new Map<bigint, ParkedEvent>();
    let budget = limits.maxRequestBytes;
    let i = 0;
    while (i < outbound.length) {
      const chunk: Outbound[] = [];
      let chunkStart = i;
      let bytes = 0;
      for (; i < outbound.length; i++) {
        const item = outbound[i] as Outbound;
        const { streamName, position } = item.event;
        const first = this.blocked.get(streamName);
        if (first !== undefined && position >= first) {
          // The first one itself is already parked (met again after smaller requests, or after a restart: its row
          // is kept as it is).
          if (!parks.has(position)) {
            parks.set(position, this.parkedRecord(item, 'held', `held behind the parked event at position ${first}`));
          }
          continue;
        }
        if (item.largestBatch > largestSendable(limits)) {
          // Without a parking table the relay stops at it: what comes before it is sent first.
          if (!this.parking && chunk.length > 0) break;
          this.park(parks, item, this.tooLargeReason(item, limits), limits);
          continue;
        }
        if (chunk.length > 0 && bytes + item.bytes > budget) break;
        if (chunk.length === 0) chunkStart = i;
        chunk.push(item);
        bytes += item.bytes;
      }
      if (chunk.length === 0) continue;
      const { messages, spans } = traced(chunk);
      try {
        await this.acknowledged(() => this.sink.publish(messages));
        for (const span of spans) span.end();
      } catch (error) {
        for (const span of spans) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
          span.end();
        }
        if (!refusedForSize(error)) throw error;
        if (chunk.length > 1) {
          // Our estimate and the broker disagree: halve the requests and send this part again.
          budget = Math.max(1, Math.floor(bytes / 2));
          this.logger.warn(
            { bytes, budget, reason: messageOf(error) },
            'the broker refused a request for its size; sending smaller ones',
          );
          i = chunkStart;
          continue;
        }
        const only = chunk[0] as Outbound;
        this.park(parks, only, `the broker refused it: ${messageOf(error)} (${only.bytes} bytes)`, limits);
        continue;
      }
      this.status.published(messages.length, new Date());
      if (!this.parking) this.status.parked([]);
      await this.commit(parks, (chunk[chunk.length - 1] as Outbound).event.position);
    }
    await this.commit(parks, page.lastPosition);
    this.status.checkpointed(this.position, page.isEnd);
  }

  private park(parks: Map<bigint, ParkedEvent>, item: Outbound, reason: string, limits: SinkLimits): void {
    if (!this.parking) throw new EventTooLarge(item.event, reason);
    const { event } = item;
    parks.set(event.position, {
      ...this.parkedRecord(item, 'too-large', reason),
      bytes: item.largestBatch + BATCH_OVERHEAD,
      limitBytes: limits.maxMessageBytes,
    });
    this.blocked.set(event.streamName, event.position);
    this.logger.error(
      { position: String(event.position), eventId: event.eventId, stream: event.streamName, type: event.type, reason },
      'event parked: too large for the broker; later events of its stream are held (docs/runbook.md, Kafka relay)',
    );
  }

  private parkedRecord(item: Outbound, kind: ParkedEvent['kind'], reason: string): ParkedEvent {
    return { ...eventRef(item.event), kind, reason, bytes: null, limitBytes: null };
  }

  /** Records the parks up to `upTo`, then moves the checkpoint there: a parked event is never passed unrecorded. */
  private async commit(parks: Map<bigint, ParkedEvent>, upTo: bigint | undefined): Promise<void> {
    if (upTo === undefined) return;
    const due = [...parks.values()].filter((park) => park.position <= upTo);
    if (due.length > 0 && this.parking) {
      await this.parking.park(this.name, due);
      for (const park of due) parks.delete(park.position);
      this.status.parked(await this.parking.open(this.name));
    }
    if (this.position === undefined || upTo > this.position) {
      await this.checkpoints.save(this.name, upTo);
      this.position = upTo;
      this.status.checkpointed(this.position, false);
    }
  }

  private async reloadParked(): Promise<void> {
    this.parkedStale = false;
    if (!this.parking) return;
    const open = await this.parking.open(this.name);
    this.blocked = new Map();
    for (const row of open) if (!this.blocked.has(row.streamName)) this.blocked.set(row.streamName, row.position);
    this.status.parked(open);
  }

  private drainDue(): boolean {
    if (!this.parking || this.blocked.size === 0) return false;
    return this.wakeRequested || Date.now() - this.lastDrainAt >= (this.options.parkedRetryMs ?? 30_000);
  }

  /**
   * Tries the parked events again, stream by stream in order: each is read again from the store and published if
   * the broker now takes it; a stream's held events follow once nothing before them is parked (or skipped).
   */
  private async drain(): Promise<void> {
    const parking = this.parking;
    if (!parking) return;
    this.wakeRequested = false;
    this.lastDrainAt = Date.now();
    this.limitsStale = true;
    const limits = await this.limits();
    const byStream = new Map<string, ParkedEventRow[]>();
    for (const row of await parking.open(this.name)) {
      byStream.set(row.streamName, [...(byStream.get(row.streamName) ?? []), row]);
    }
    for (const [stream, rows] of byStream) {
      const first = (rows[0] as ParkedEventRow).streamRevision;
      const last = (rows[rows.length - 1] as ParkedEventRow).streamRevision;
      const events = new Map(
        (await this.store.readStream(stream, { fromRevision: first, maxCount: last - first + 1 })).map((e) => [
          e.streamRevision,
          e,
        ]),
      );
      const published: bigint[] = [];
      const gone: bigint[] = [];
      try {
        for (const row of rows) {
          const event = events.get(row.streamRevision);
          if (!event || event.eventId !== row.eventId) {
            gone.push(row.position);
            continue;
          }
          const [item] = this.prepare([event]);
          if (!item) {
            published.push(row.position);
            continue;
          }
          if (item.largestBatch > largestSendable(limits)) {
            const reason = this.tooLargeReason(item, limits);
            await parking.stillParked(
              this.name,
              row.position,
              reason,
              item.largestBatch + BATCH_OVERHEAD,
              limits.maxMessageBytes,
            );
            break;
          }
          try {
            await this.acknowledged(() => this.sink.publish(item.messages));
          } catch (error) {
            if (!refusedForSize(error)) throw error;
            const reason = `the broker refused it: ${messageOf(error)} (${item.bytes} bytes)`;
            await parking.stillParked(this.name, row.position, reason, item.bytes, limits.maxMessageBytes);
            break;
          }
          this.status.published(item.messages.length, new Date());
          published.push(row.position);
          this.logger.log(
            { position: String(row.position), eventId: row.eventId, kind: row.kind },
            'parked event published',
          );
        }
      } finally {
        await parking.resolve(this.name, published, 'published');
        await parking.resolve(this.name, gone, 'not-in-store');
      }
    }
    await this.reloadParked();
  }

  /** How a relay without a parking table shows the event it stops at. */
  private unparked(error: EventTooLarge): ParkedEventRow {
    return {
      ...eventRef(error.event),
      kind: 'too-large',
      reason: error.reason,
      bytes: null,
      limitBytes: this.status.current().limits?.maxMessageBytes ?? null,
      parkedAt: new Date(),
      resolution: null,
      resolvedAt: null,
      resolvedBy: null,
      note: null,
    };
  }

  private async acknowledged(send: () => Promise<void>): Promise<void> {
    const slow = setTimeout(
      () => this.status.degraded('the broker has not acknowledged yet', new Date()),
      this.options.slowAckMs ?? 5_000,
    );
    try {
      await send();
    } finally {
      clearTimeout(slow);
    }
  }
}
