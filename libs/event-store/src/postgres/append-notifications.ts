import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { AppendWatch } from '../event-store.js';
import { wakeUp } from '../subscription/wake-up.js';

export const APPEND_CHANNEL = 'es_appended';

export interface AppendNotificationTimings {
  /** The safety poll while the listening connection is up: a notification can only be lost with the connection. */
  fallbackMs?: number;
  /** The poll while it is down (connecting, cut off, or no server to listen on). */
  disconnectedMs?: number;
  /** First re-read after a notification the safe horizon still hides; doubles per round up to `heldBackMaxMs`. */
  heldBackMs?: number;
  /**
   * The longest pause between re-reads while the horizon hides a notified append. Under load some writing transaction
   * of the database (a projection's batch, a checkpoint) is nearly always open; a reader that backed off for seconds
   * behind one saw it end long after it did.
   */
  heldBackMaxMs?: number;
  /** How long the connection stays open after the last waiter has gone. */
  lingerMs?: number;
}

/**
 * Wakes this store's readers when an append commits (ADR 0017): after an append has committed, the store notifies
 * `es_appended` with its last position (one notification in flight per store, carrying the highest position, so
 * notifying never sits on the append's commit), and one dedicated connection per store LISTENs while anybody waits.
 * Appends of this process wake its own readers without the round trip. A reader whose read reached `scanned` waits only while nothing newer than `scanned` is
 * known; a notified position the safe horizon still hides (an older transaction is running) is looked at again after
 * a short, growing pause, so the ADR 0002 rule stays the only thing that decides what a read may see.
 */
export class AppendNotifications {
  private readonly woken = new EventEmitter();
  /** The highest position known committed: notified, or appended by this process. */
  private latest = -1n;
  private client: pg.Client | undefined;
  private listening = false;
  private waiters = 0;
  private linger: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private closed = false;
  /** The highest position of this process's appends already notified to other processes, and one in flight. */
  private published = -1n;
  private publishing = false;
  private readonly timings: Required<AppendNotificationTimings>;

  constructor(
    private readonly config: pg.ClientConfig,
    timings: AppendNotificationTimings = {},
    private readonly publish?: (position: bigint) => Promise<unknown>,
  ) {
    this.woken.setMaxListeners(0);
    this.timings = {
      fallbackMs: 2_000,
      disconnectedMs: 250,
      heldBackMs: 5,
      heldBackMaxMs: 40,
      lingerMs: 2_000,
      ...timings,
    };
  }

  /** An append of this process committed up to `position`. */
  appended(position: bigint): void {
    this.heard(position);
    void this.publishLatest();
  }

  private heard(position: bigint): void {
    if (position <= this.latest) return;
    this.latest = position;
    this.woken.emit('append');
  }

  /** Tells other processes; a lost notification (a crash, a cut connection) is covered by their safety poll. */
  private async publishLatest(): Promise<void> {
    if (!this.publish || this.publishing) return;
    this.publishing = true;
    try {
      while (this.latest > this.published && !this.closed) {
        const position = this.latest;
        const publish = this.publish;
        await Promise.resolve()
          .then(() => publish(position))
          .catch(() => undefined);
        this.published = position;
      }
    } finally {
      this.publishing = false;
    }
  }

  /** A watch for one reading loop; it counts how long a notified append has been hidden by the horizon. */
  watch(): AppendWatch {
    let heldAt: bigint | undefined;
    let rounds = 0;
    return {
      next: async (scanned, signal) => {
        const seen = scanned ?? -1n;
        if (this.latest > seen) {
          // Committed but still above the horizon: look again soon, less often the longer it lasts.
          rounds = heldAt === seen ? rounds + 1 : 0;
          heldAt = seen;
          const pause = Math.min(this.timings.heldBackMaxMs, this.timings.heldBackMs * 2 ** Math.min(rounds, 12));
          await sleep(pause, undefined, { signal }).catch(() => undefined);
          return;
        }
        heldAt = undefined;
        await this.wait(signal);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.linger);
    this.woken.emit('append');
    await this.disconnect();
  }

  private async wait(signal: AbortSignal): Promise<void> {
    this.waiters += 1;
    clearTimeout(this.linger);
    this.linger = undefined;
    if (!this.client && !this.closed) void this.connect();
    try {
      await wakeUp(
        this.woken,
        'append',
        this.listening ? this.timings.fallbackMs : this.timings.disconnectedMs,
        signal,
      );
    } finally {
      this.waiters -= 1;
      if (this.waiters === 0 && this.client) {
        this.linger = setTimeout(() => void this.disconnect(), this.timings.lingerMs);
        this.linger.unref();
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.listening = false;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      // Whatever was notified meanwhile is read by the waiters' next poll; wake them so that happens now.
      this.woken.emit('append');
      if (this.waiters > 0 && !this.closed) {
        const pause = Math.min(5_000, 100 * 2 ** Math.min(this.reconnectAttempt++, 6));
        setTimeout(() => {
          if (!this.client && this.waiters > 0 && !this.closed) void this.connect();
        }, pause).unref();
      }
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', ({ payload }) => {
      if (payload) this.heard(BigInt(payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
      // A listening connection alone must not keep a process (or a test worker) alive.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      if (this.client !== client) return;
      this.listening = true;
      this.reconnectAttempt = 0;
      // Appends that committed before LISTEN took effect: the waiters look once more.
      this.woken.emit('append');
    } catch {
      lost();
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    if (!client) return;
    client.removeAllListeners('notification');
    await client.end().catch(() => undefined);
  }
}
