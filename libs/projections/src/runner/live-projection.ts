import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from '#libs/database';
import { inTransaction } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import type { Projection } from '../projection.js';
import { finishTables, restartIfEmptiedByCrash } from './build-durability.js';
import { catchUp } from './catch-up.js';
import { loadCheckpoint, lockProjection, type CheckpointRow, type LiveRow } from './checkpoints.js';
import { measureLag, type ProjectionMetrics } from './lag.js';
import { allShardsCaughtUp, createShardsSql, inShard, markShardCaughtUp, shardCountOf, type Shard } from './shards.js';
import { loadSkips } from './skips.js';
import { createTablesSql, dropTablesSql, liveTableSet, viewName, type TableSet } from './table-set.js';

/** How often the lag gauge is refreshed at most. */
const LAG_EVERY_MS = 1000;

export interface LiveProjectionOptions {
  batchSize: number;
  /** Shards a new table set is split into (ADR 0020); a set keeps the split it was created with. Default 1. */
  shards?: number;
  idleMs: number;
  metrics?: ProjectionMetrics;
  log: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

/**
 * Keeps one projection's current version up to date. A new version builds beside the live one and takes over the
 * stable views once it has caught up with the head; the old version's tables are dropped afterwards.
 */
export class LiveProjection {
  readonly set: TableSet;
  private isLive = false;
  /** Whether this process has made sure the set is logged and has its extra indexes (once it first caught up). */
  private completed = false;
  private lagMeasuredAt = 0;
  private lagEveryMs = LAG_EVERY_MS;
  /** How the table set is split, known after prepare(): 1 when it is not. */
  shardCount = 1;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    readonly projection: Projection,
    private readonly options: LiveProjectionOptions,
  ) {
    this.set = liveTableSet(projection);
  }

  /** Creates the table set and its checkpoint; the very first version goes live at once. False when code is older. */
  async prepare(): Promise<boolean> {
    const { name, version, tables } = this.projection;
    const current = await inTransaction(this.pool, async (client) => {
      await lockProjection(client, name);
      const live = await liveRow(client, name);
      if (live && live.version > version) return false;
      // Built UNLOGGED, set LOGGED once caught up (build-durability.ts); a set that exists already keeps what it is.
      await client.query(createTablesSql(this.set, tables, { unlogged: true }));
      if (await restartIfEmptiedByCrash(client, this.set, tables))
        this.options.log('warn', `${this.set.id} was emptied by a database crash while being built; building it again`);
      this.isLive = !live || live.version === version;
      const created = await client.query(
        `INSERT INTO projection_checkpoints (table_set, projection, version, kind, tables, status)
         VALUES ($1, $2, $3, 'live', $4, $5) ON CONFLICT (table_set) DO NOTHING`,
        [this.set.id, name, version, tables.map((t) => t.name), this.isLive ? 'running' : 'rebuilding'],
      );
      const shards = this.options.shards ?? 1;
      if (created.rowCount === 1 && shards > 1) await client.query(createShardsSql, [this.set.id, shards]);
      this.shardCount = await shardCountOf(client, this.set.id);
      if (!live) {
        for (const table of tables) await pointView(client, viewName(table), this.set.table(table.name));
        await client.query('INSERT INTO projection_live (projection, version, table_set) VALUES ($1, $2, $3)', [
          name,
          version,
          this.set.id,
        ]);
      }
      return true;
    });
    if (!current) this.options.log('warn', `${name} v${version} is older than the live version; not running it`);
    else await this.dropRetired();
    return current;
  }

  /** Follows the head until stopped; with `shard`, only that shard's tenants (the set must be split that way). */
  async run(signal: AbortSignal, shard?: Shard): Promise<void> {
    if ((shard?.count ?? 1) !== this.shardCount)
      throw new Error(`${this.set.id} is split into ${this.shardCount} shards, not ${shard?.count ?? 1}`);
    const inTheShard = shard ? inShard(shard) : undefined;
    let skips: Set<string> | undefined;
    let backoffMs = 100;
    while (!signal.aborted) {
      try {
        const checkpoint = await loadCheckpoint(this.pool, this.set.id);
        if (!checkpoint || checkpoint.status === 'retired') return;
        if (checkpoint.status === 'failed') {
          skips = undefined; // an admin may record a skip before retrying
          await this.measureLag(checkpoint, true);
          await sleep(this.options.idleMs * 2, undefined, { signal }).catch(() => undefined);
          continue;
        }
        skips ??= await loadSkips(this.store, this.projection.name, this.projection.version);
        const result = await catchUp(
          this.store,
          { pool: this.pool, projection: this.projection, set: this.set, skips, shard, include: inTheShard },
          {
            batchSize: this.options.batchSize,
            signal,
            follow: { idleMs: this.options.idleMs, onCaughtUp: () => this.onCaughtUp(shard) },
            onBatch: (outcome) => {
              const labels = { projection: this.projection.name, version: String(this.projection.version) };
              this.options.metrics?.applied.inc(labels, outcome.events);
              // During a long rebuild too, so the gauge shows the backlog shrinking.
              void this.measureLag({ position: String(outcome.position), status: 'rebuilding' }, false).catch(
                () => undefined,
              );
              if (outcome.kind === 'failed') {
                this.options.log('error', `${this.set.id} stopped at a poison event`, {
                  position: String(outcome.failedAt.position),
                  eventId: outcome.failedAt.eventId,
                  type: outcome.failedAt.type,
                  error: outcome.error,
                });
              }
            },
          },
        );
        if (result === 'failed') skips = undefined;
        backoffMs = 100;
      } catch (error) {
        this.options.log('warn', `${this.set.id} will retry after an error`, { error: String(error), backoffMs });
        await sleep(backoffMs, undefined, { signal }).catch(() => undefined);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private async onCaughtUp(shard: Shard | undefined): Promise<void> {
    if (!this.completed) await this.completeBuild();
    if (!this.isLive) {
      if (shard) await markShardCaughtUp(this.pool, this.set.id, shard);
      await this.switchLive();
    }
    // The lag is measured at most once a second: only then is the checkpoint worth a read (this runs at every wake).
    if (!this.lagDue()) return;
    const checkpoint = await loadCheckpoint(this.pool, this.set.id);
    if (checkpoint) await this.measureLag(checkpoint, false);
  }

  /**
   * Once the set has caught up (before it can switch), its tables are set LOGGED, then get their extra indexes
   * (finishTables; two processes of a split set may both get here). A set that went live at once, as a projection's
   * very first version does, serves its few rows without them until then.
   */
  private async completeBuild(): Promise<void> {
    const madeLogged = await finishTables(this.pool, this.projection.name, this.set, this.projection.tables);
    if (madeLogged.length > 0) this.options.log('info', `${this.set.id} has caught up; its tables are now logged`);
    this.completed = true;
  }

  private lagDue(): boolean {
    return this.options.metrics !== undefined && Date.now() - this.lagMeasuredAt >= this.lagEveryMs;
  }

  private async measureLag(checkpoint: Pick<CheckpointRow, 'position' | 'status'>, force: boolean): Promise<void> {
    if (!this.options.metrics || (!force && !this.lagDue())) return;
    this.lagMeasuredAt = Date.now();
    const lag = await measureLag(this.pool, BigInt(checkpoint.position), this.projection.eventTypes);
    // The count scans the backlog: deep in a rebuild of millions of events it takes a good part of a second, so it is
    // taken less often then, keeping it to a twentieth of one of the database's cores at most.
    this.lagEveryMs = Math.max(LAG_EVERY_MS, 20 * (Date.now() - this.lagMeasuredAt));
    this.options.metrics.record(this.projection.name, this.projection.version, lag, checkpoint.status === 'failed');
  }

  /** One transaction moves every view and the live pointer; queries see the old tables or the new, never neither. */
  private async switchLive(): Promise<void> {
    const { name, version, tables } = this.projection;
    const switched = await inTransaction(this.pool, async (client) => {
      await lockProjection(client, name);
      const live = await liveRow(client, name);
      const mine = await loadCheckpoint(client, this.set.id);
      if (!live || live.version >= version || mine?.status !== 'rebuilding') return live?.version === version;
      if (!(await allShardsCaughtUp(client, this.set.id))) return false;
      const old = await loadCheckpoint(client, live.table_set);
      for (const table of tables) await pointView(client, viewName(table), this.set.table(table.name));
      const kept = new Set(tables.map((table) => table.name));
      for (const gone of old?.tables.filter((table) => !kept.has(table)) ?? []) {
        await client.query(`DROP VIEW IF EXISTS "public"."${gone}"`);
      }
      await client.query(
        'UPDATE projection_live SET version = $2, table_set = $3, switched_at = now() WHERE projection = $1',
        [name, version, this.set.id],
      );
      await client.query(
        "UPDATE projection_checkpoints SET status = 'running', updated_at = now() WHERE table_set = $1",
        [this.set.id],
      );
      await client.query(
        "UPDATE projection_checkpoints SET status = 'retired', updated_at = now() WHERE table_set = $1",
        [live.table_set],
      );
      return true;
    });
    if (!switched) return;
    this.isLive = true;
    this.options.log('info', `${name} v${version} is live`);
    await this.dropRetired();
  }

  /** Old versions' tables go once nothing points at them; running queries on them finish first (DROP waits). */
  private async dropRetired(): Promise<void> {
    const { rows } = await this.pool.query<CheckpointRow>(
      "SELECT * FROM projection_checkpoints WHERE projection = $1 AND kind = 'live' AND status = 'retired'",
      [this.projection.name],
    );
    for (const retired of rows) {
      const set = liveTableSet({ name: retired.projection, version: retired.version });
      await this.pool.query(
        dropTablesSql(
          set,
          retired.tables.map((name) => ({ name, columns: {}, key: [] })),
        ),
      );
      await this.pool.query('DELETE FROM projection_checkpoints WHERE table_set = $1', [retired.table_set]);
    }
  }
}

const liveRow = async (client: PoolClient, projection: string): Promise<LiveRow | undefined> => {
  const { rows } = await client.query<LiveRow>('SELECT * FROM projection_live WHERE projection = $1 FOR UPDATE', [
    projection,
  ]);
  return rows[0];
};

// CREATE OR REPLACE keeps the view's identity (no lookup can miss it) but only allows added columns.
const pointView = async (client: PoolClient, view: string, table: string): Promise<void> => {
  await client.query('SAVEPOINT view');
  try {
    await client.query(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${table}`);
    await client.query('RELEASE SAVEPOINT view');
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT view');
    await client.query(`DROP VIEW IF EXISTS ${view}`);
    await client.query(`CREATE VIEW ${view} AS SELECT * FROM ${table}`);
  }
};
