import { setTimeout as sleep } from 'node:timers/promises';
import {
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type RecordedEvent as EsdbEvent,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../envelope.js';
import type { SubscribeOptions, Subscription } from '../event-store.js';
import { serverSideFilter } from './server-filter.js';

export interface FilteredSubscriptionSource {
  client: EventStoreDBClient;
  /** Our event from the raw record when it is one of ours and passes the rest of the filter; else undefined. */
  accept(raw: EsdbEvent): RecordedEvent | undefined;
}

/**
 * `$all` through EventStoreDB's own filtered subscription (catch-up, then live, pushed by the server): the server
 * sends only events of the types (or streams) asked for, and the adapter checks the rest of the filter. Supervised:
 * on any error, onEvent's included, it unsubscribes, backs off and subscribes again after the last delivered event,
 * so delivery stays in order, at least once across a failure and never with a gap. onCaughtUp is called once the
 * server says the subscription is live (EventStoreDB 23.10 or later) and every event it sent before has been handled,
 * and again whenever it falls idle.
 */
export const filteredSubscription = (source: FilteredSubscriptionSource, options: SubscribeOptions): Subscription => {
  const abort = new AbortController();
  const initialDelay = options.retry?.initialDelayMs ?? 100;
  const maxDelay = options.retry?.maxDelayMs ?? 10_000;
  const filter = serverSideFilter(options.filter);
  let position = options.fromPosition;
  let current: AllStreamSubscription | undefined;

  const subscribeOnce = async (): Promise<void> => {
    const from = position === undefined ? START : { commit: position, prepare: position };
    const subscription = source.client.subscribeToAll({ fromPosition: from, filter, resolveLinkTos: false });
    current = subscription;
    let live = false;
    let handling = false;
    const idle = () => {
      if (live && !handling && subscription.readableLength === 0) options.onCaughtUp?.(position);
    };
    subscription.on('caughtUp', () => {
      live = true;
      idle();
    });
    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        if (abort.signal.aborted) return;
        const raw = resolved.event;
        // A subscription from a position starts after it; the guard keeps a resubscription from delivering twice.
        if (!raw || (position !== undefined && raw.position.commit <= position)) continue;
        const event = source.accept(raw);
        if (!event) continue;
        handling = true;
        try {
          await options.onEvent(event);
        } finally {
          handling = false;
        }
        position = event.position;
        idle();
      }
      if (!abort.signal.aborted) throw new Error('EventStoreDB ended the subscription');
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  };

  const run = async (): Promise<void> => {
    let attempt = 0;
    while (!abort.signal.aborted) {
      const delivered = position;
      try {
        await subscribeOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        attempt = position === delivered ? attempt + 1 : 1;
        options.onError?.(error, attempt);
        const delay = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 16));
        await sleep(delay * (0.5 + Math.random() / 2), undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  };

  const running = run();
  return {
    get position() {
      return position;
    },
    async stop() {
      abort.abort();
      await current?.unsubscribe().catch(() => undefined);
      await running;
    },
  };
};
