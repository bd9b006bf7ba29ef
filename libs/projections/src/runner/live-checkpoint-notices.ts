import { EventEmitter } from 'node:events';
import type { Pool } from '#libs/database';

/** Where a live read model's checkpoint change is announced (see the 0003 migration and the query API's watcher). */
export const PROJECTION_MOVED_CHANNEL = 'projection_moved';

interface Announcing {
  /** Another batch committed while the notice was in flight: send one more after it. */
  again: boolean;
}

const inFlight = new WeakMap<Pool, Map<string, Announcing>>();

/** This process's own commits, heard at once: a reader in the same process is never behind its own projector. */
export const checkpointsMovedHere = new EventEmitter().setMaxListeners(0);

/**
 * Tells the processes that keep this projection's checkpoint in memory that it moved, after the batch's commit (not in
 * its transaction: notifying transactions commit one at a time). One notice in flight per projection and pool; the
 * batches committed meanwhile share the next. A notice lost with a crash is covered by the readers' maximum age.
 */
export const announceCheckpoint = (pool: Pool, projection: string): void => {
  checkpointsMovedHere.emit('moved', projection);
  let announcing = inFlight.get(pool);
  if (!announcing) inFlight.set(pool, (announcing = new Map()));
  const current = announcing.get(projection);
  if (current) {
    current.again = true;
    return;
  }
  const state: Announcing = { again: false };
  announcing.set(projection, state);
  const send = async (): Promise<void> => {
    do {
      state.again = false;
      await pool.query('SELECT pg_notify($1, $2)', [PROJECTION_MOVED_CHANNEL, projection]).catch(() => undefined);
    } while (state.again);
    announcing.delete(projection);
  };
  void send();
};
