import { appendWatchOf, type EventStore, type ReadAllPage } from '#libs/event-store';
import {
  commitBatch,
  prepareBatch,
  prepareBatchInSlices,
  type BatchContext,
  type BatchOutcome,
  type PreparedBatch,
} from './batch.js';
import { eventTypesOf } from '../projection.js';
import { loadCheckpoint } from './checkpoints.js';
import { loadShardCursor } from './shards.js';
import { WrittenKeys } from './written-keys.js';

export interface CatchUpOptions {
  batchSize: number;
  signal?: AbortSignal;
  /** Inclusive upper bound (as-of builds); omit to read to the head. */
  untilPosition?: bigint;
  /** Only streams with these prefixes (an as-of build reads its tenant's `<tenant>.` streams), as the store filters. */
  streamPrefixes?: readonly string[];
  /**
   * Keep following after reaching the head until the signal stops it: woken by the store's appends (ADR 0017), or
   * polling every `idleMs` on a store without them.
   */
  follow?: { idleMs: number; onCaughtUp: () => Promise<void> };
  onBatch?: (outcome: Exclude<BatchOutcome, { kind: 'stale' }>) => void;
}

export type CatchUpResult = 'caught-up' | 'failed' | 'stopped';

/**
 * Feeds the table set from its stored checkpoint in batches, as a pipeline: while one batch is written and committed,
 * the next page is read and its row changes are worked out, so a rebuild costs little more than the slower of the
 * process and the database. Commits stay in order, one at a time, each expecting the position the last one left.
 */
export const catchUp = async (
  store: EventStore,
  context: BatchContext,
  options: CatchUpOptions,
): Promise<CatchUpResult> => {
  const checkpoint = await loadCursor(context);
  if (!checkpoint) throw new Error(`No checkpoint for table set ${context.set.id}`);
  if (checkpoint.status === 'failed') return 'failed';
  let committed = BigInt(checkpoint.position);
  let cursor = committed;
  // A set (or shard) that starts empty is written by this loop alone for as long as no batch of it turns out stale: it
  // knows every key it has written, and inserts the others (written-keys.ts).
  let written = committed === 0n ? new WrittenKeys() : undefined;
  const eventTypes = eventTypesOf(context.projection);
  const read = (from: bigint): Promise<ReadAllPage> => {
    const page = store.readAll({
      fromPosition: from === 0n ? undefined : from,
      maxCount: options.batchSize,
      filter: {
        ...(eventTypes ? { eventTypes } : {}),
        ...(options.streamPrefixes ? { streamPrefixes: options.streamPrefixes } : {}),
        // A shard is sent only its tenants' events; `include` checks again, whatever the store did.
        ...(context.shard ? { tenantShard: context.shard } : {}),
      },
    });
    page.catch(() => undefined); // a prefetch abandoned on stop or on a stale checkpoint must not crash the process
    return page;
  };
  let prefetched: Promise<ReadAllPage> | undefined;
  /** The batch being committed, if any: settled before the next one starts, and before this returns. */
  let committing: Promise<BatchOutcome> | undefined;
  const settle = async (): Promise<'ok' | 'stale' | 'failed'> => {
    if (!committing) return 'ok';
    const outcome = await committing;
    committing = undefined;
    if (outcome.kind === 'stale') {
      // Someone else moved the checkpoint: what was read or worked out ahead of it is thrown away, and the rows it
      // wrote are rows this loop has not seen.
      prefetched = undefined;
      written?.distrust();
      const reloaded = await loadCursor(context);
      if (!reloaded || reloaded.status === 'failed') return 'failed';
      committed = cursor = BigInt(reloaded.position);
      return 'stale';
    }
    options.onBatch?.(outcome);
    if (outcome.kind === 'failed') return 'failed';
    committed = outcome.position;
    return 'ok';
  };
  const watch = options.follow ? appendWatchOf(store, options.follow.idleMs) : undefined;
  try {
    while (!options.signal?.aborted) {
      const page = await (prefetched ?? read(cursor));
      prefetched = undefined;
      const until = options.untilPosition;
      let last = page.lastPosition ?? cursor;
      let events = page.events;
      const reachedUntil = until !== undefined && last >= until;
      if (until !== undefined && last > until) {
        events = events.filter((event) => event.position <= until);
        last = until;
      }
      const atEnd = page.isEnd || reachedUntil;
      if (atEnd) written = undefined; // the head's pages are small: upserts cost little there, and no filter is kept
      if (!atEnd) prefetched = read(last);
      // Worked out while the previous batch commits; pure, so thrown away at no cost if that one fails or is stale.
      const prepared: PreparedBatch | undefined =
        events.length > 0 ? await prepareBatchInSlices(context, { events, lastPosition: last }, written) : undefined;
      const previous = await settle();
      if (previous === 'failed') return 'failed';
      if (previous === 'stale') continue;
      // A page without events only happens at the head; its gap is re-read after a restart, which costs nothing. A
      // shard saves it all the same: the set stands at its lowest shard, so an idle shard would hold every reader back.
      const idleShard = context.shard !== undefined && atEnd && last > committed;
      if (prepared || (reachedUntil && last !== committed) || idleShard) {
        const batch = prepared ?? prepareBatch(context, { events, lastPosition: last });
        committing = commitBatch(context, committed, batch);
        committing.catch(() => undefined); // rethrown by settle(); not an unhandled rejection meanwhile
      }
      cursor = last;
      if (!atEnd) continue;
      const outcome = await settle();
      if (outcome === 'failed') return 'failed';
      if (outcome === 'stale') continue;
      if (!options.follow) return 'caught-up';
      await options.follow.onCaughtUp();
      await watch?.next(cursor, options.signal ?? new AbortController().signal);
    }
    return 'stopped';
  } finally {
    // Never leave a commit running behind the caller; its outcome still reaches onBatch.
    if (committing) await settle();
  }
};

/** Where the set (or its shard) stands, and the set's status. */
const loadCursor = (context: BatchContext) =>
  context.shard
    ? loadShardCursor(context.pool, context.set.id, context.shard)
    : loadCheckpoint(context.pool, context.set.id);
