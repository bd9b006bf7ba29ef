import pg from 'pg';
import type { Pool } from '#libs/database';
import { asOfTableSet, checkpointsMovedHere, PROJECTION_MOVED_CHANNEL } from '#libs/projections';
import { asOfSource, liveSource, type ReadSource } from './freshness.js';

export interface LiveCheckpointOptions {
  /**
   * The longest a checkpoint is kept without a notice: it bounds how stale an answer can be when a notice is lost
   * (a projector that died between its commit and its notice).
   */
  maxAgeMs?: number;
}

interface Kept {
  source: Promise<ReadSource>;
  readAt: number;
  reading: boolean;
}

/**
 * The live checkpoint of each projection, and each finished as-of build, kept in memory while a connection LISTENs for
 * `projection_moved` (issue 18: a 304 or a cached answer without a database round trip). A notice drops the projection's entry, and the next request
 * reads it again, one read at a time per projection shared by the requests that arrive meanwhile. While the connection
 * is down, nothing is kept beyond the read in flight, as before. One per pool, shared by every read-model route.
 */
export class LiveCheckpoints {
  private static readonly perPool = new WeakMap<Pool, LiveCheckpoints>();

  /** The pool's watcher, counted; `release()` closes its connection when the last user has gone. */
  static of(pool: Pool, options: LiveCheckpointOptions = {}): LiveCheckpoints {
    let watcher = LiveCheckpoints.perPool.get(pool);
    if (!watcher) {
      watcher = new LiveCheckpoints(pool, options);
      LiveCheckpoints.perPool.set(pool, watcher);
    }
    watcher.users += 1;
    return watcher;
  }

  private readonly kept = new Map<string, Kept>();
  private readonly maxAgeMs: number;
  private client: pg.Client | undefined;
  private listening = false;
  private users = 0;
  private reconnectAttempt = 0;
  private readonly forget = (projection: string) => this.kept.delete(projection);
  /** Reads served from memory and reads from the database, for the benchmark's figures. */
  readonly counts = { kept: 0, read: 0 };

  private constructor(
    private readonly pool: Pool,
    options: LiveCheckpointOptions,
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 1_000;
    checkpointsMovedHere.on('moved', this.forget);
  }

  get(projection: string): Promise<ReadSource> {
    return this.keepOrRead(projection, () => liveSource(this.pool, projection));
  }

  /** A finished as-of build of the tenant (404/409 otherwise, never kept), kept until a notice says it changed. */
  asOf(projection: string, tenant: string, name: string): Promise<ReadSource> {
    return this.keepOrRead(asOfTableSet(tenant, name).id, () => asOfSource(this.pool, projection, tenant, name));
  }

  /** Whether the build is kept and fresh: then asking for it reads nothing (and it need not be built first). */
  holdsAsOf(tenant: string, name: string): boolean {
    const kept = this.kept.get(asOfTableSet(tenant, name).id);
    return kept !== undefined && this.fresh(kept);
  }

  private fresh(kept: Kept): boolean {
    return !kept.reading && this.listening && Date.now() - kept.readAt < this.maxAgeMs;
  }

  /** What is kept under `key` (a projection, or an as-of build's table set), or a read shared until it ends. */
  private keepOrRead(key: string, read: () => Promise<ReadSource>): Promise<ReadSource> {
    if (!this.client) void this.connect();
    const kept = this.kept.get(key);
    if (kept && (kept.reading || this.fresh(kept))) {
      this.counts.kept += 1;
      return kept.source;
    }
    this.counts.read += 1;
    const entry: Kept = { source: read(), readAt: Date.now(), reading: true };
    this.kept.set(key, entry);
    entry.source.then(
      () => {
        entry.reading = false;
        // Not listening: no notice would tell us when it moves, so it is not kept beyond its read.
        if (!this.listening && this.kept.get(key) === entry) this.kept.delete(key);
      },
      () => {
        if (this.kept.get(key) === entry) this.kept.delete(key);
      },
    );
    return entry.source;
  }

  async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0) return;
    LiveCheckpoints.perPool.delete(this.pool);
    checkpointsMovedHere.off('moved', this.forget);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    this.kept.clear();
    if (client) {
      client.removeAllListeners('notification');
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    if (this.users <= 0) return;
    // The pool's own connection settings, for the one connection that listens (as the event store's, ADR 0017).
    const client = new pg.Client((this.pool as unknown as { options: pg.ClientConfig }).options);
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.listening = false;
      this.kept.clear();
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      const pause = Math.min(5_000, 100 * 2 ** Math.min(this.reconnectAttempt++, 6));
      setTimeout(() => {
        if (!this.client && this.users > 0) void this.connect();
      }, pause).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', ({ payload }) => {
      // One projection or as-of build (a trigger's notice), or every projection a runner committed within its window.
      for (const projection of payload?.split(',') ?? []) this.forget(projection);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PROJECTION_MOVED_CHANNEL}`);
      // Listening alone must not keep a process (or a test worker) alive.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      if (this.client !== client) return;
      // What was kept before the LISTEN took effect may have moved unnoticed.
      this.kept.clear();
      this.listening = true;
      this.reconnectAttempt = 0;
    } catch {
      lost();
    }
  }
}
