import type { Registry } from 'prom-client';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { validateProjection, type Projection } from '../projection.js';
import { buildAsOf, startAsOfBuild, type AsOfRequest, type StartedAsOfBuild } from './as-of-build.js';
import type { CheckpointRow } from './checkpoints.js';
import { ProjectionMetrics } from './lag.js';
import { LiveProjection } from './live-projection.js';
import { runWhileHoldingShard } from './shard-lease.js';

export type ProjectionLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  detail?: Record<string, unknown>,
) => void;

/**
 * Events per page and transaction, at most. A rebuild merges more changes per row in a larger batch (bench:rebuild:
 * 21,000 events/s at 1,000, 28,000 at 5,000, 35,000 at 10,000); at the head a page holds only what is new, so
 * freshness does not depend on it. Two pages are in memory at once (one read ahead): tens of megabytes.
 */
export const DEFAULT_BATCH_SIZE = 10_000;

export interface ProjectionRunnerOptions {
  /** Events per transaction (DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** How often a caught-up projection looks for new events. */
  idleMs?: number;
  /** Where the lag gauges go (the platform's `metrics.registry`). */
  registry?: Registry;
  log?: ProjectionLog;
  /**
   * Split new live table sets by tenant into this many shards, each run by one process at a time (ADR 0020).
   * Default 1: not split.
   */
  shards?: number;
  /** The shards this process runs first; it takes over the others only while their home process is away. All by default. */
  homeShards?: readonly number[];
  /** How often a shard that is not this process's home is asked for (2 s; tests shorten it). */
  foreignShardRetryMs?: number;
  /** How long this process keeps a shard that is not its home before offering it back (30 s). */
  foreignShardHoldMs?: number;
}

/** Runs every registered projection in the background, each from its own checkpoint; one failing stops only itself. */
export class ProjectionRunner {
  private readonly abort = new AbortController();
  private readonly live: LiveProjection[];
  private running: Promise<void>[] = [];
  /** As-of builds running in the background: a stop waits for them to record where they stopped. */
  private readonly builds = new Set<Promise<unknown>>();
  private readonly batchSize: number;
  private readonly log: ProjectionLog;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    assertDistinct(projections);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const metrics = options.registry ? new ProjectionMetrics(options.registry) : undefined;
    const log = options.log ?? (() => undefined);
    this.log = log;
    this.live = projections.map(
      (projection) =>
        new LiveProjection(pool, store, projection, {
          batchSize: this.batchSize,
          shards: options.shards,
          idleMs: options.idleMs ?? 250,
          metrics,
          log,
        }),
    );
  }

  async start(): Promise<void> {
    const split = new Map<number, LiveProjection[]>();
    for (const projection of this.live) {
      if (!(await projection.prepare())) continue;
      if (projection.shardCount === 1) this.running.push(projection.run(this.abort.signal));
      else split.set(projection.shardCount, [...(split.get(projection.shardCount) ?? []), projection]);
    }
    // One lease per shard covers every projection split that way: a shard's tenants move together.
    for (const [count, projections] of split) {
      for (let index = 0; index < count; index += 1) {
        const shard = { index, count };
        const home = this.options.homeShards?.includes(index) ?? true;
        const { foreignShardRetryMs: foreignRetryMs, foreignShardHoldMs: foreignHoldMs } = this.options;
        const options = { home, foreignRetryMs, foreignHoldMs, log: this.log };
        const work = (signal: AbortSignal) =>
          Promise.all(projections.map((projection) => projection.run(signal, shard))).then(() => undefined);
        this.running.push(runWhileHoldingShard(this.pool, shard, this.abort.signal, options, work));
      }
    }
  }

  /** Stops after the batch in flight; what it wrote is committed with its checkpoint or not at all. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.running, ...this.builds]);
    this.running = [];
  }

  /** Builds a tenant's as-of set and resolves when it is built (or failed, or stopped with the runner). */
  buildAsOf(name: string, request: AsOfRequest): Promise<CheckpointRow> {
    return buildAsOf(this.pool, this.store, this.projection(name), request, {
      batchSize: this.batchSize,
      signal: this.abort.signal,
    });
  }

  /** Checks and sets up a tenant's as-of set, then builds it in the background (see startAsOfBuild). */
  async startAsOf(name: string, request: AsOfRequest): Promise<StartedAsOfBuild> {
    const started = await startAsOfBuild(this.pool, this.store, this.projection(name), request, {
      batchSize: this.batchSize,
      signal: this.abort.signal,
    });
    const { done } = started;
    if (done) {
      this.builds.add(done);
      void done.catch(() => undefined).finally(() => this.builds.delete(done));
    }
    return started;
  }

  private projection(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`No projection named ${name}`);
    return projection;
  }
}

/** Two projections writing the same view would silently overwrite each other's switch. */
const assertDistinct = (projections: readonly Projection[]): void => {
  const names = new Set<string>();
  const tables = new Set<string>();
  for (const projection of projections) {
    validateProjection(projection);
    if (names.has(projection.name)) throw new Error(`Projection ${projection.name} is registered twice`);
    names.add(projection.name);
    for (const table of projection.tables) {
      if (tables.has(table.name)) throw new Error(`Table ${table.name} belongs to two projections`);
      tables.add(table.name);
    }
  }
};
