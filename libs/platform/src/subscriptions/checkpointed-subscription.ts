import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { EventFilter, EventStore, RecordedEvent, Subscription } from '#libs/event-store';
import type { Pool } from '#libs/database';
import { ActiveLease } from './active-lease.js';
import { settlesWithin, unlessAborted } from './abortable.js';
import type { CheckpointStore } from './checkpoints.js';

export interface CheckpointedSubscriber {
  /** Stable name: the checkpoint's key. */
  name: string;
  filter?: EventFilter;
  /** At-least-once: after a crash the events after the last checkpoint come again, so handling must be idempotent. */
  handle(event: RecordedEvent): Promise<void>;
}

export interface CheckpointedSubscriptionOptions {
  /** Saves the checkpoint at most this often while events come (and always when caught up and on stop). */
  saveEveryMs?: number;
  /** With a pool: run under an ActiveLease, one process at a time. */
  pool?: Pool;
  /** How often a waiting process tries for the lease. */
  leaseRetryMs?: number;
  /**
   * With a pool: how long a stop (or a lost lease) waits for the event being handled before it gives the lease up
   * anyway; the handler then finishes on its own and the next holder may see that event again (at least once).
   */
  stopWithinMs?: number;
  /**
   * With a pool, for one shard of several (ADR 0022): a process asks at once, every `leaseRetryMs`, for a shard that is
   * its home; for another it waits `leaseRetryMs` before each ask and gives it back after `foreignHoldMs` (30 s), so
   * the home process, when up, gets it back. Without it every process asks alike and keeps what it holds.
   */
  turns?: { home: boolean; foreignHoldMs?: number };
}

/** A subscription run under a lease: `holding` tells whether this process runs it now. */
export interface LeasedSubscription extends Subscription {
  readonly holding: boolean;
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
  options: CheckpointedSubscriptionOptions = {},
): Promise<LeasedSubscription> => {
  if (!options.pool) {
    const unleased = await subscribeFromCheckpoint(store, checkpoints, subscriber, options);
    return Object.assign(unleased, { holding: true });
  }
  const pool = options.pool;
  const foreign = options.turns?.home === false;
  const foreignHoldMs = options.turns?.foreignHoldMs ?? 30_000;
  const retryMs = options.leaseRetryMs ?? 2_000;
  const stopWithinMs = options.stopWithinMs ?? 10_000;
  const logger = new Logger(subscriber.name);
  const abort = new AbortController();
  const { signal } = abort;
  let current: Subscription | undefined;
  /** Runs the subscriber while `lease` is held; returns once the lease is lost or the stop is asked for. */
  const runHolding = async (lease: ActiveLease) => {
    // Loading the checkpoint waits on the pool, so a stop does not wait for it: once the signal has aborted the load
    // starts no subscription, and one that started in that same moment is stopped again at once.
    const starting = subscribeFromCheckpoint(store, checkpoints, subscriber, options, signal);
    const subscription = await unlessAborted(starting, signal, (late) => void late.stop().catch(() => undefined));
    if (!subscription) return;
    current = subscription;
    // Another's home shard is given back after a while; its home process, if up, asks sooner and takes it.
    let handBack: NodeJS.Timeout | undefined;
    const handedBack = foreign
      ? new Promise<'handed back'>((resolve) => (handBack = setTimeout(() => resolve('handed back'), foreignHoldMs)))
      : new Promise<never>(() => undefined);
    // The signal may have aborted already: unlessAborted settles at once then, where a listener added now never fires.
    const ended = await unlessAborted(Promise.race([lease.lost, handedBack]), signal);
    clearTimeout(handBack);
    if (ended === 'handed back') logger.log('giving back a shard that is not its home');
    else if (!signal.aborted) logger.warn('lost the lease (connection cut); stopping until it is held again');
    const stopping = subscription.stop().catch((e: unknown) => logger.warn({ err: e }, 'stopping after the lease'));
    // An event still being handled (waiting on an exhausted pool, say) must not keep the lease, nor the stop, forever.
    if (!(await settlesWithin(stopping, stopWithinMs))) {
      logger.warn(`the subscription did not stop within ${stopWithinMs} ms; giving the lease up anyway`);
    }
    current = undefined;
  };
  const run = async () => {
    while (!signal.aborted) {
      if (foreign) await sleep(retryMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      const lease = await ActiveLease.acquire(pool, subscriber.name, signal, retryMs);
      if (!lease) return;
      let failed = false;
      try {
        await runHolding(lease);
      } catch (e) {
        // A checkpoint that could not be loaded: try again later, rather than leaving the subscriber stopped for good.
        logger.warn({ err: e }, 'could not start from the checkpoint; trying again');
        failed = true;
      } finally {
        await lease.release();
      }
      if (failed) await sleep(retryMs, undefined, { signal }).catch(() => undefined);
    }
  };
  const running = run().catch((e: unknown) => logger.error({ err: e }, 'lease loop failed'));
  return {
    get position() {
      return current?.position;
    },
    get holding() {
      return current !== undefined;
    },
    /** Bounded whatever the loop is doing, and returns only with no lease held (also one won while stopping). */
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
  signal?: AbortSignal,
): Promise<Subscription> => {
  const logger = new Logger(subscriber.name);
  const saveEveryMs = options.saveEveryMs ?? 200;
  let lastSaved = await checkpoints.load(subscriber.name);
  // Stopped while loading (and the lease about to go): start nothing that would run without it.
  if (signal?.aborted) return { position: lastSaved, stop: async () => undefined };
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
