import { appendWatchOf, type EventStore, type ReadAllPage } from '#libs/event-store';
import { applyBatch, type BatchContext, type BatchOutcome } from './batch.js';
import { eventTypesOf } from '../projection.js';
import { loadCheckpoint } from './checkpoints.js';
import { loadShardCursor } from './shards.js';

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
 * Feeds the table set from its stored checkpoint in batches. The next page is read while the current one is written,
 * so a rebuild costs little more than the slower of the two.
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
  const watch = options.follow ? appendWatchOf(store, options.follow.idleMs) : undefined;
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
    if (!atEnd) prefetched = read(last);
    // A page without events only happens at the head; its gap is re-read after a restart, which costs nothing. A
    // shard saves it all the same: the set stands at its lowest shard, so an idle shard would hold every reader back.
    const idleShard = context.shard !== undefined && atEnd && last > committed;
    if (events.length > 0 || (reachedUntil && last !== committed) || idleShard) {
      const outcome = await applyBatch(context, committed, { events, lastPosition: last });
      if (outcome.kind === 'stale') {
        prefetched = undefined;
        const reloaded = await loadCursor(context);
        if (!reloaded || reloaded.status === 'failed') return 'failed';
        committed = cursor = BigInt(reloaded.position);
        continue;
      }
      options.onBatch?.(outcome);
      if (outcome.kind === 'failed') return 'failed';
      committed = cursor = outcome.position;
    } else cursor = last;
    if (!atEnd) continue;
    if (!options.follow) return 'caught-up';
    await options.follow.onCaughtUp();
    await watch?.next(cursor, options.signal ?? new AbortController().signal);
  }
  return 'stopped';
};

/** Where the set (or its shard) stands, and the set's status. */
const loadCursor = (context: BatchContext) =>
  context.shard
    ? loadShardCursor(context.pool, context.set.id, context.shard)
    : loadCheckpoint(context.pool, context.set.id);
