import { EventEmitter } from 'node:events';
import type { ReadAllOptions, ReadAllPage, SubscribeOptions, Subscription } from '../event-store.js';
import { catchUpSubscription } from './catch-up-subscription.js';
import { wakeUp } from './wake-up.js';

/**
 * An adapter's subscriptions: the catch-up loop over its readAll. Appends in this process wake subscribers at once
 * (`notify`); appends by other processes are seen by polling.
 */
export class LocalAppends {
  private readonly appended = new EventEmitter();

  constructor() {
    this.appended.setMaxListeners(0);
  }

  notify(): void {
    this.appended.emit('append');
  }

  subscribe(readAll: (options: ReadAllOptions) => Promise<ReadAllPage>, options: SubscribeOptions): Subscription {
    return catchUpSubscription(
      { readAll, waitForAppend: (ms, signal) => wakeUp(this.appended, 'append', ms, signal) },
      options,
    );
  }
}
