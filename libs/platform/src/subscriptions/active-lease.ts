import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from '#libs/database';
import { settlesWithin, unlessAborted } from './abortable.js';

/**
 * One active runner per name across every process on the database: a session advisory lock held on a connection of
 * its own. The server drops the lock with the connection, so a crashed or cut-off holder hands over by itself.
 */
export class ActiveLease {
  private released = false;

  private constructor(
    private readonly client: PoolClient,
    private readonly key: string,
    /** Resolves when the connection, and with it the lease, is lost. */
    readonly lost: Promise<void>,
    private readonly unwatch: () => void,
  ) {}

  /**
   * Waits until this process holds the lease (trying every `retryMs`), or returns undefined once `signal` aborts.
   * Returns undefined holding nothing whenever the signal aborted, however far the attempt had got: a connection the
   * pool hands over only after the abort (it was exhausted) goes straight back, a connection still asking for the lock
   * is destroyed (which drops the lock if it got it), and a lock won just as the signal aborted is released again.
   */
  static async acquire(
    pool: Pool,
    name: string,
    signal: AbortSignal,
    retryMs = 2_000,
  ): Promise<ActiveLease | undefined> {
    const key = `lease:${name}`;
    while (!signal.aborted) {
      const connecting = pool.connect().catch(() => undefined);
      const client = await unlessAborted(connecting, signal, (late) => late?.release());
      if (signal.aborted) {
        client?.release();
        break;
      }
      if (client) {
        let lose = () => {};
        const lost = new Promise<void>((resolve) => (lose = resolve));
        client.on('error', lose);
        client.on('end', lose);
        // A pooled connection outlives the lease: take the listeners off before it goes back.
        const unwatch = () => {
          client.off('error', lose);
          client.off('end', lose);
        };
        const asking = client
          .query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [key])
          .then(({ rows }) => rows[0]?.held === true)
          .catch(() => false);
        const held = await unlessAborted(asking, signal);
        if (held === undefined) {
          // Stopped while asking: the lock may be granted yet, so the connection goes, and the lock with it.
          unwatch();
          client.release(true);
          break;
        }
        const lease = held ? new ActiveLease(client, key, lost, unwatch) : undefined;
        if (lease && !signal.aborted) return lease;
        if (lease) {
          await lease.release();
          break;
        }
        unwatch();
        client.release();
      }
      await sleep(retryMs, undefined, { signal }).catch(() => undefined);
    }
    return undefined;
  }

  /**
   * Unlocks and gives the connection back; once only. A connection that cannot unlock within `timeoutMs` (cut off, or
   * a server that no longer answers) is destroyed instead, which drops the lock on the server's side.
   */
  async release(timeoutMs = 5_000): Promise<void> {
    if (this.released) return;
    this.released = true;
    let unlocked = false;
    const unlocking = this.client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [this.key])
      .then(() => (unlocked = true))
      .catch(() => undefined);
    await settlesWithin(unlocking, timeoutMs);
    this.unwatch();
    // A connection that could not unlock is destroyed, not pooled: it may still hold the lock.
    this.client.release(unlocked ? undefined : true);
  }
}
