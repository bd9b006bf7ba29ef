import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '#libs/database';
import { ActiveLease } from '#libs/platform';
import type { Shard } from './shards.js';

export interface ShardLeaseOptions {
  /** A home shard is this process's to run: it asks for the lease often, and gets it back soon after a restart. */
  home: boolean;
  /** How often a process asks for a shard that is not its home (default 2 s): the home owner, asking every 250 ms, wins. */
  foreignRetryMs?: number;
  /** How long a process keeps a shard that is not its home before it lets the home owner take it back (30 s). */
  foreignHoldMs?: number;
  log: (level: 'info' | 'warn', message: string) => void;
}

/**
 * Runs `work` for one shard only while this process holds the shard's lease (one active owner across processes, as
 * ActiveLease gives). When the holder dies its connection goes, and another process takes the shard over. A process
 * that took over another's home shard lets it go after `foreignHoldMs` and asks again after `foreignRetryMs`: the home
 * owner gets it back if it is up, otherwise the same process takes it again.
 */
export const runWhileHoldingShard = async (
  pool: Pool,
  shard: Shard,
  signal: AbortSignal,
  options: ShardLeaseOptions,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> => {
  const name = `projections:shard:${shard.index}/${shard.count}`;
  const foreignHoldMs = options.foreignHoldMs ?? 30_000;
  const foreignRetryMs = options.foreignRetryMs ?? 2_000;
  while (!signal.aborted) {
    // A shard that is not this process's home is asked for only after a pause, so that its home process, if up, wins.
    if (!options.home) await sleep(foreignRetryMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
    const lease = await ActiveLease.acquire(pool, name, signal, options.home ? 250 : foreignRetryMs);
    if (!lease) return;
    const held = new AbortController();
    const stop = () => held.abort();
    signal.addEventListener('abort', stop, { once: true });
    void lease.lost.then(() => {
      if (!held.signal.aborted) options.log('warn', `lost the lease of ${name}; another process will take it over`);
      stop();
    });
    const handBack = options.home ? undefined : setTimeout(stop, foreignHoldMs);
    options.log('info', `holding ${name}${options.home ? '' : ' (not its home shard)'}`);
    let done = false;
    try {
      await work(held.signal);
      done = !held.signal.aborted; // every projection of the shard retired: nothing left to run
    } finally {
      clearTimeout(handBack);
      signal.removeEventListener('abort', stop);
      stop();
      await lease.release();
    }
    if (done) return;
  }
};
