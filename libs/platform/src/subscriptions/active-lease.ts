import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from '#libs/database';

/**
 * One active runner per name across every process on the database: a session advisory lock held on a connection of
 * its own. The server drops the lock with the connection, so a crashed or cut-off holder hands over by itself.
 */
export class ActiveLease {
  private constructor(
    private readonly client: PoolClient,
    private readonly key: string,
    /** Resolves when the connection, and with it the lease, is lost. */
    readonly lost: Promise<void>,
    private readonly unwatch: () => void,
  ) {}

  /** Waits until this process holds the lease (trying every `retryMs`), or returns undefined once `signal` aborts. */
  static async acquire(
    pool: Pool,
    name: string,
    signal: AbortSignal,
    retryMs = 2_000,
  ): Promise<ActiveLease | undefined> {
    const key = `lease:${name}`;
    while (!signal.aborted) {
      const client = await pool.connect().catch(() => undefined);
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
        const held = await client
          .query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [key])
          .then(({ rows }) => rows[0]?.held === true)
          .catch(() => false);
        if (held) return new ActiveLease(client, key, lost, unwatch);
        unwatch();
        client.release();
      }
      await sleep(retryMs, undefined, { signal }).catch(() => undefined);
    }
    return undefined;
  }

  async release(): Promise<void> {
    const unlocked = await this.client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [this.key])
      .then(() => true)
      .catch(() => false);
    this.unwatch();
    // A connection that could not unlock (cut off) is destroyed, not pooled: it may still hold the lock.
    this.client.release(unlocked ? undefined : true);
  }
}
