import type { NewEvent, RecordedEvent } from './envelope.js';

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's current last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** Revision of the stream's last event after the append; pass it as the next expected revision. */
  nextExpectedRevision: number;
  /** Position of the append's last event in `$all`. */
  position: bigint;
  /** True when every event id was already stored in the stream: the append was a no-op. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the first (forwards) or last (backwards) revision. */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
  /** Only the streams of tenants in shard `index` of `count` (tenantShardOf): a projection split by tenant. */
  tenantShard?: { index: number; count: number };
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. Omit to start from the beginning. */
  fromPosition?: bigint;
  maxCount?: number;
  filter?: EventFilter;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /** Where the next page starts: the last position this read covered, also when the filter hid the events. */
  lastPosition: bigint | undefined;
  /** True when the read reached the current safe head. */
  isEnd: boolean;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events after it. Omit to start from the beginning. */
  fromPosition?: bigint;
  filter?: EventFilter;
  /** Called once per event, in `$all` order; the next is not delivered until it resolves. */
  onEvent: (event: RecordedEvent) => Promise<void>;
  /** Called after the subscription has caught up and whenever it falls idle again. */
  onCaughtUp?: (position: bigint | undefined) => void;
  /** Called on every error before the supervisor resubscribes from the last delivered position. */
  onError?: (error: unknown, attempt: number) => void;
  /** Backoff bounds for resubscribing after an error. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Name, for logs and metrics. */
  name?: string;
}

export interface Subscription {
  /** Last position delivered (and acknowledged by onEvent). */
  readonly position: bigint | undefined;
  stop(): Promise<void>;
}

/** How a reading loop that has reached the head waits for more (see EventStore.watchAppends). */
export interface AppendWatch {
  /**
   * Resolves once events after `scanned` (where the loop's last readAll ended: its lastPosition) may be readable, or
   * after a fallback interval, or when `signal` aborts. Read again after it resolves, whatever woke it.
   */
  next(scanned: bigint | undefined, signal: AbortSignal): Promise<void>;
}

/** The port every adapter implements; the contract suite in ./contract holds them to the same semantics. */
export interface EventStore {
  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /**
   * For loops that poll readAll themselves (projections, the relay): a wake-up when appends commit (PostgreSQL:
   * LISTEN/NOTIFY, ADR 0017). Adapters with push subscriptions of their own may leave it out; see appendWatchOf.
   */
  watchAppends?(): AppendWatch;
  /** Position of the newest event a subscriber could safely read now. */
  headPosition(): Promise<bigint | undefined>;
  /**
   * Resolves once every append that completed before the call can be read through readAll and subscriptions (a
   * PostgreSQL reader stops below still-running transactions, ADR 0002): read-your-writes for a one-off scan.
   */
  awaitSettled(options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}
