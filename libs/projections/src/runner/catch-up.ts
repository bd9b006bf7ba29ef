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
 * Feeds the table set from its stored checkpoint in batches, as a pipeline: while up to two batches are written and
 * committed, the next page is read and its row changes are worked out, so a rebuild costs little more than the slower
 * of the process and the database. Commits stay in order, one at a time, each expecting the position the last one
 * left: the second waits for the first, not this loop.
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
  /**
   * Commits issued and not yet settled, oldest first, at most two. Each starts when the one before it has applied (it
   * expects the position that one leaves), so this loop works out the next batch while they run one after the other.
   */
  const inFlight: Promise<BatchOutcome>[] = [];
  /** Where the set will stand once every commit in flight has applied: what the next commit expects. */
  let issued = committed;
  /** Settles the oldest commit in flight ('ok' when there is none). */
  const settle = async (): Promise<'ok' | 'stale' | 'failed'> => {
    const oldest = inFlight.shift();
    if (!oldest) return 'ok';
    const outcome = await oldest;
    if (outcome.kind === 'stale') {
      // Someone else moved the checkpoint: what was read or worked out ahead of it is thrown away, and the rows it
      // wrote are rows this loop has not seen. The commits behind it do not run (stale without a query).
      await Promise.allSettled(inFlight.splice(0));
      prefetched = undefined;
      written?.distrust();
      const reloaded = await loadCursor(context);
      if (!reloaded || reloaded.status === 'failed') return 'failed';
      committed = cursor = issued = BigInt(reloaded.position);
      return 'stale';
    }
    options.onBatch?.(outcome);
    if (outcome.kind === 'failed') {
      await Promise.allSettled(inFlight.splice(0)); // behind a failed batch: stale without a query
      return 'failed';
    }
    committed = outcome.position;
    return 'ok';
  };
  const settleAll = async (): Promise<'ok' | 'stale' | 'failed'> => {
    while (inFlight.length > 0) {
      const outcome = await settle();
      if (outcome !== 'ok') return outcome;
    }
    return 'ok';
  };
  /** Issues a batch's commit behind the ones in flight; it runs only if the one before it applied. */
  const issue = (batch: PreparedBatch) => {
    const expected = issued;
    const before = inFlight[inFlight.length - 1];
    const commit = before
      ? before.then((previous) =>
          previous.kind === 'applied' ? commitBatch(context, expected, batch) : { kind: 'stale' as const },
        )
      : commitBatch(context, expected, batch);
    commit.catch(() => undefined); // rethrown by settle(); not an unhandled rejection meanwhile
    inFlight.push(commit);
    issued = batch.batch.lastPosition;
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
      // Worked out while the commits before it run; pure, so thrown away at no cost if one of them fails or is stale.
      const prepared: PreparedBatch | undefined =
        events.length > 0 ? await prepareBatchInSlices(context, { events, lastPosition: last }, written) : undefined;
      // Room for this batch's commit: the oldest in flight settles first.
      const previous = inFlight.length >= IN_FLIGHT ? await settle() : 'ok';
      if (previous === 'failed') return 'failed';
      if (previous === 'stale') continue;
      // A page without events only happens at the head; its gap is re-read after a restart, which costs nothing. A
      // shard saves it all the same: the set stands at its lowest shard, so an idle shard would hold every reader back.
      const idleShard = context.shard !== undefined && atEnd && last > issued;
      if (prepared || (reachedUntil && last !== issued) || idleShard) {
        issue(prepared ?? prepareBatch(context, { events, lastPosition: last }));
      }
      cursor = last;
      if (!atEnd) continue;
      const outcome = await settleAll();
      if (outcome === 'failed') return 'failed';
      if (outcome === 'stale') continue;
      if (!options.follow) return 'caught-up';
      await options.follow.onCaughtUp();
      await watch?.next(cursor, options.signal ?? new AbortController().signal);
    }
    return 'stopped';
  } finally {
    // Never leave a commit running behind the caller; its outcome still reaches onBatch.
    await settleAll();
  }
};

/** Commits a build keeps in flight: two, so that one can start the moment the one before it ends. */
const IN_FLIGHT = 2;

/** Where the set (or its shard) stands, and the set's status. */
const loadCursor = (context: BatchContext) =>
  context.shard
    ? loadShardCursor(context.pool, context.set.id, context.shard)
    : loadCheckpoint(context.pool, context.set.id);
