import { EventEmitter } from 'node:events';
import type { Pool } from '#libs/database';

/** Where a live read model's checkpoint change is announced (see the 0003 migration and the query API's watcher). */
export const PROJECTION_MOVED_CHANNEL = 'projection_moved';

/**
 * Batches committed within this long share one notice to the other processes: under load every projection commits
 * many batches a second, and a notice per batch cost as many statements as the batches themselves.
 */
const GATHER_MS = 10;

interface Gathering {
  projections: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

const gathering = new WeakMap<Pool, Gathering>();

/** This process's own commits, heard at once: a reader in the same process is never behind its own projector. */
export const checkpointsMovedHere = new EventEmitter().setMaxListeners(0);

/**
 * Tells the processes that keep this projection's checkpoint in memory that it moved, after the batch's commit (not in
 * its transaction: notifying transactions commit one at a time). Readers in this process hear it at once; the others
 * within about 10 ms, in one notice per pool naming every projection that moved meanwhile (`a,b,c`). A notice lost
 * with a crash is covered by the readers' maximum age.
 */
export const announceCheckpoint = (pool: Pool, projection: string): void => {
  checkpointsMovedHere.emit('moved', projection);
  let pending = gathering.get(pool);
  if (!pending) gathering.set(pool, (pending = { projections: new Set(), timer: undefined }));
  pending.projections.add(projection);
  if (pending.timer) return;
  const gathered = pending;
  gathered.timer = setTimeout(() => {
    const names = [...gathered.projections].join(',');
    gathered.projections.clear();
    gathered.timer = undefined;
    void pool.query('SELECT pg_notify($1, $2)', [PROJECTION_MOVED_CHANNEL, names]).catch(() => undefined);
  }, GATHER_MS);
  gathered.timer.unref();
};
