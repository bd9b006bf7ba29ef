import { Logger } from '@nestjs/common';
import type { EventFilter, EventStore, RecordedEvent, Subscription } from '#libs/event-store';
import type { Pool } from '#libs/database';
import { ActiveLease } from './active-lease.js';
import type { CheckpointStore } from './checkpoints.js';

export interface CheckpointedSubscriber {
  /** Stable name: the checkpoint's key. */
  name: string;
  filter?: EventFilter;
  /** At-least-once: after a crash the events after the last checkpoint come again, so handling must be idempotent. */
  handle(event: RecordedEvent): Promise<void>;
}

/**
 * Runs a subscriber from its stored checkpoint and saves the checkpoint after each handled event (batched by time,
 * at most every `saveEveryMs`). Supervision (resubscribe with backoff) comes from the store's subscription.
 * With `pool`, only one process runs the subscriber at a time (ActiveLease): the others wait and take over from the
 * checkpoint when the holder stops or is cut off, so scaling out an app does not run its process managers twice.
 */
export const startCheckpointedSubscription = async (
  store: EventStore,
  checkpoints: CheckpointStore,
  subscriber: CheckpointedSubscriber,
  options: { saveEveryMs?: number; pool?: Pool; leaseRetryMs?: number } = {},
): Promise<Subscription> => {
  if (!options.pool) return subscribeFromCheckpoint(store, checkpoints, subscriber, options);
  const pool = options.pool;
  const logger = new Logger(subscriber.name);
  const abort = new AbortController();
  let current: Subscription | undefined;
  const run = async () => {
    while (!abort.signal.aborted) {
      const lease = await ActiveLease.acquire(pool, subscriber.name, abort.signal, options.leaseRetryMs);
      if (!lease) return;
      try {
        current = await subscribeFromCheckpoint(store, checkpoints, subscriber, options);
        const stopped = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve()));
        await Promise.race([lease.lost, stopped]);
        if (!abort.signal.aborted) logger.warn('lost the lease (connection cut); stopping until it is held again');
        await current.stop().catch((e: unknown) => logger.warn({ err: e }, 'stopping after the lease'));
        current = undefined;
      } finally {
        await lease.release();
      }
    }
  };
  const running = run().catch((e: unknown) => logger.error({ err: e }, 'lease loop failed'));
  return {
    get position() {
      return current?.position;
    },
    async stop() {
      abort.abort();
      await running;
    },
  };
};

const subscribeFromCheckpoint = async (
  store: EventStore,
  checkpoints: CheckpointStore,
  subscriber: CheckpointedSubscriber,
  options: { saveEveryMs?: number },
): Promise<Subscription> => {
  const logger = new Logger(subscriber.name);
  const saveEveryMs = options.saveEveryMs ?? 200;
  let lastSaved = await checkpoints.load(subscriber.name);
  let lastSaveAt = 0;
  const save = async (position: bigint | undefined, force = false) => {
    if (position === undefined || position === lastSaved) return;
    if (!force && Date.now() - lastSaveAt < saveEveryMs) return;
    await checkpoints.save(subscriber.name, position);
    lastSaved = position;
    lastSaveAt = Date.now();
  };
  const subscription = store.subscribeToAll({
    name: subscriber.name,
    fromPosition: lastSaved,
    filter: subscriber.filter,
    onEvent: async (event) => {
      await subscriber.handle(event);
      await save(event.position);
    },
    onCaughtUp: (position) => void save(position, true).catch((e: unknown) => logger.warn({ err: e }, 'checkpoint')),
    onError: (error, attempt) => logger.warn({ err: error, attempt }, 'subscription error; resubscribing'),
  });
  return {
    get position() {
      return subscription.position;
    },
    async stop() {
      await subscription.stop();
      await save(subscription.position, true);
    },
  };
};
