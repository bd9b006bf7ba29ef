import { Logger } from '@nestjs/common';
import type { EventFilter, EventStore, RecordedEvent, Subscription } from '#libs/event-store';
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
 */
export const startCheckpointedSubscription = async (
  store: EventStore,
  checkpoints: CheckpointStore,
  subscriber: CheckpointedSubscriber,
  options: { saveEveryMs?: number } = {},
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
