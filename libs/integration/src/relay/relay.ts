import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { EventStore, ReadAllPage } from '#libs/event-store';
import type { CheckpointStore } from '#libs/platform';
import type { SchemaValidator } from '../contracts/validation.js';
import { TRANSLATED_EVENT_TYPES, translate } from '../translation/translate.js';
import type { MessageSink } from './kafka-publisher.js';
import { RelayStatus } from './relay-status.js';

export interface RelayOptions {
  /** The checkpoint's name. */
  name?: string;
  /** Events read from `$all` per batch; their messages go to the broker in one sendBatch. */
  batchSize?: number;
  /** How often to look for new events once caught up (appends by other processes are only seen by polling). */
  idlePollMs?: number;
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** A publish that has not been acknowledged after this long shows the relay degraded while it still waits. */
  slowAckMs?: number;
}

/**
 * Publishes the store's integration events at least once, in `$all` order: read a batch after the checkpoint,
 * translate, validate every message against its schema, send, and move the checkpoint only after the broker has
 * acknowledged the batch. Any failure backs off and resends from the checkpoint; event ids make resends dedupable.
 */
export class Relay {
  readonly status = new RelayStatus();
  private readonly logger = new Logger('relay');
  private readonly abort = new AbortController();
  private readonly name: string;
  private readonly batchSize: number;
  private position: bigint | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly sink: MessageSink,
    private readonly validator: SchemaValidator,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? 'relay';
    this.batchSize = options.batchSize ?? 2_000;
  }

  async start(): Promise<void> {
    this.position = await this.checkpoints.load(this.name);
    this.status.checkpointed(this.position, false);
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.sink.close();
    this.status.set('stopped');
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
    while (!this.abort.signal.aborted) {
      try {
        const page = await (prefetched ?? this.read(this.position));
        prefetched = undefined;
        if (!page.isEnd && page.lastPosition !== undefined) {
          prefetched = this.read(page.lastPosition);
          prefetched.catch(() => undefined);
        }
        const messages = this.prepare(page);
        await inFlight;
        inFlight = this.publish(page, messages);
        inFlight.catch(() => undefined);
        if (page.isEnd) await inFlight;
        attempt = 0;
        if (page.isEnd) {
          if (page.events.length === 0) this.status.healthy();
          await sleep(this.options.idlePollMs ?? 100, undefined, { signal: this.abort.signal }).catch(() => undefined);
        }
      } catch (error) {
        prefetched = undefined;
        inFlight = Promise.resolve();
        if (this.abort.signal.aborted) return;
        attempt += 1;
        const reason = error instanceof Error ? error.message : String(error);
        this.status.degraded(reason, new Date());
        if (attempt === 1 || attempt % 10 === 0) this.logger.warn({ attempt, reason }, 'relay degraded; retrying');
        const delay = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 16));
        await sleep(delay * (0.5 + Math.random() / 2), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
    await inFlight.catch(() => undefined);
  }

  private prepare(page: ReadAllPage): ReturnType<typeof translate> {
    const messages = page.events.flatMap(translate);
    // A message that breaks its contract is a bug in a translator: stop here rather than send it or skip it.
    for (const message of messages) this.validator.check(message.type, message.body);
    return messages;
  }

  private async publish(page: ReadAllPage, messages: ReturnType<typeof translate>): Promise<void> {
    if (messages.length > 0) await this.acknowledged(() => this.sink.publish(messages));
    const next = page.lastPosition;
    if (next !== undefined && (this.position === undefined || next > this.position)) {
      await this.checkpoints.save(this.name, next);
      this.position = next;
    }
    this.status.checkpointed(this.position, page.isEnd);
    if (messages.length > 0) this.status.published(messages.length, new Date());
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
