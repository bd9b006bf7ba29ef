/**
 * One projector process for bench:rebuild's scale-out figure: runs the given read models at a fresh version (so they
 * rebuild from scratch), split into BENCH_SHARDS shards with BENCH_HOME_SHARDS its own, until SIGTERM.
 */
import { createPool } from '#libs/database';
import { PostgresEventStore } from '#libs/event-store';
import { DEFAULT_BATCH_SIZE, ProjectionRunner } from '#libs/projections';
import { benchProjections } from './history-append.js';

const url = process.env.BENCH_DATABASE_URL ?? '';
const version = Number(process.env.BENCH_VERSION);
const shards = Number(process.env.BENCH_SHARDS ?? 1);
const homeShards = process.env.BENCH_HOME_SHARDS?.split(',').map(Number);

const pool = createPool(url, { max: 12, applicationName: `bench-projector-${homeShards?.join('-') ?? 'all'}` });
const projections = benchProjections.map((projection) => ({ ...projection, version }));
const runner = new ProjectionRunner(pool, new PostgresEventStore(pool), projections, {
  batchSize: Number(process.env.BENCH_BATCH ?? DEFAULT_BATCH_SIZE),
  idleMs: 5,
  shards,
  ...(homeShards ? { homeShards, foreignShardRetryMs: 600_000 } : {}),
});
await runner.start();
process.stdout.write('started\n');
process.once('SIGTERM', () => {
  void runner
    .stop()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
