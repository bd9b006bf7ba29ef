import type { Pool, PoolClient } from '#libs/database';
import { inTransaction } from '#libs/database';
import { knownBy, type EventStore } from '#libs/event-store';
import { validateProjection, type Projection } from '../projection.js';
import { catchUp } from './catch-up.js';
import { loadCheckpoint, type CheckpointRow } from './checkpoints.js';
import { loadSkips } from './skips.js';
import {
  asOfTableSet,
  createIndexesSql,
  createTablesSql,
  dropTablesSql,
  makeReadOnlySql,
  type TableSet,
} from './table-set.js';

export interface AsOfRequest {
  /** The tenant the build belongs to: only its events go in, and only it sees the build. */
  tenant: string;
  /** A past instant (events recorded up to and including it) or a position in `$all` (inclusive). */
  until: Date | bigint;
  /** Names the build within the tenant (schema `asof_<tenant key>_<name>`). */
  name: string;
}

/** What the API says of a build: still being built, ready to read, or failed (with the error). */
export type AsOfState = 'building' | 'ready' | 'failed';

/** A build's checkpoint row, and whether a process is building it right now (it holds the build's lock). */
export interface AsOfBuildRow extends CheckpointRow {
  building: boolean;
}

export class AsOfBuildFailed extends Error {
  constructor(readonly build: CheckpointRow) {
    super(`As-of build ${build.table_set} stopped at position ${build.failed_position}: ${build.error}`);
    this.name = 'AsOfBuildFailed';
  }
}

/** The name is taken by another request of the tenant, or the request looks into the future. */
export class AsOfBuildConflict extends Error {
  override name = 'AsOfBuildConflict';
}

// A running build holds a session lock (LOCK_SPACE, hashtext(table set)) on a connection of its own: another process
// sees the build is alive, and a build whose process died (the lock went with its session) is not called "building".
const LOCK_SPACE = 0x61_73_6f_66; // 'asof'
const LOCK_HELD = `EXISTS (
  SELECT 1 FROM pg_locks l
   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = ${LOCK_SPACE}::int4::oid AND l.objid = hashtext(c.table_set)::oid)`;

/**
 * Builds running in this process at once. Each holds a connection for its lock besides those it writes with, so
 * without a bound many tenants asking at once (every GSI report on 2 October) could take the whole pool and wait on
 * each other for ever; the others wait here, before they take a connection.
 */
const MAX_CONCURRENT_BUILDS = 3;
let running = 0;
const waiting: (() => void)[] = [];
const takeSlot = async (): Promise<() => void> => {
  if (running >= MAX_CONCURRENT_BUILDS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  let given = false;
  return () => {
    if (given) return;
    given = true;
    const next = waiting.shift();
    if (next)
      next(); // the slot passes on as it is
    else running -= 1;
  };
};

/** A build that has been started: its row as it stands, and its end (undefined: another request is building it). */
export interface StartedAsOfBuild {
  build: CheckpointRow;
  done: Promise<CheckpointRow> | undefined;
}

export interface AsOfBuildOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Wait for a build of the same set that another request is running, instead of leaving it to that one. */
  wait?: boolean;
}

/**
 * Builds a projection, for one tenant, up to a past instant or position into its own schema, then makes it
 * read-only. The live table set is not touched. Calling it again with the same request resumes an interrupted or
 * failed build or returns the finished one; the same name for another request is refused.
 */
export const buildAsOf = async (
  pool: Pool,
  store: EventStore,
  projection: Projection,
  request: AsOfRequest,
  options: Omit<AsOfBuildOptions, 'wait'> = {},
): Promise<CheckpointRow> => {
  const started = await startAsOfBuild(pool, store, projection, request, { ...options, wait: true });
  return started.done ? started.done : started.build;
};

/**
 * Checks and sets up the build (so a wrong request is refused before anyone is told "accepted"), then builds it in
 * the background: `done` settles when it is built, failed or stopped. A failure, of an event or of anything else, is
 * kept in the build's row, where GET /projections/as-of/:name reports it.
 */
export const startAsOfBuild = async (
  pool: Pool,
  store: EventStore,
  projection: Projection,
  request: AsOfRequest,
  options: AsOfBuildOptions = {},
): Promise<StartedAsOfBuild> => {
  validateProjection(projection);
  const set = asOfTableSet(request.tenant, request.name);
  const instant = request.until instanceof Date ? request.until : undefined;
  if (instant && instant.getTime() > Date.now())
    throw new AsOfBuildConflict('An as-of build cannot look into the future');
  const freeSlot = await takeSlot();
  let lock: PoolClient;
  try {
    lock = await pool.connect();
  } catch (error) {
    freeSlot();
    throw error;
  }
  let locked = false;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    if (locked) await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, set.id]).catch(() => 0);
    lock.release();
    freeSlot();
  };
  try {
    locked = await acquire(lock, set.id, options.wait ?? false);
    if (!locked) {
      const running = await loadCheckpoint(pool, set.id);
      if (!running) throw new AsOfBuildConflict(`As-of build "${request.name}" is being set up by another request`);
      assertSameRequest(running, projection, request);
      await release();
      return { build: running, done: undefined };
    }
    const build = await prepare(pool, store, projection, set, request);
    if (build.status === 'built') {
      await release();
      return { build, done: Promise.resolve(build) };
    }
    const done = run(pool, store, projection, set, request.tenant, build, options).finally(release);
    done.catch(() => undefined); // the caller decides what a failure means; it never goes unhandled
    return { build, done };
  } catch (error) {
    await release();
    throw error;
  }
};

const acquire = async (client: PoolClient, setId: string, wait: boolean): Promise<boolean> => {
  if (wait) {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_SPACE, setId]);
    return true;
  }
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
    LOCK_SPACE,
    setId,
  ]);
  return rows[0]?.locked === true;
};

const assertSameRequest = (build: CheckpointRow, projection: Projection, request: AsOfRequest): void => {
  const instant = request.until instanceof Date ? request.until : undefined;
  const sameRequest =
    build.tenant === request.tenant &&
    build.projection === projection.name &&
    build.version === projection.version &&
    (instant ? build.until_time?.getTime() === instant.getTime() : build.until_position === String(request.until));
  if (!sameRequest) throw new AsOfBuildConflict(`As-of build "${request.name}" already exists for another request`);
};

/** Creates the tables and the checkpoint (or finds them), and puts a failed build back to work: asking is retrying. */
const prepare = async (
  pool: Pool,
  store: EventStore,
  projection: Projection,
  set: TableSet,
  request: AsOfRequest,
): Promise<CheckpointRow> => {
  const existing = await loadCheckpoint(pool, set.id);
  if (existing) assertSameRequest(existing, projection, request);
  if (existing?.status === 'built') return existing;
  // Everything recorded up to a past instant lies below today's head, so the head bounds an instant build.
  let bound = typeof request.until === 'bigint' ? request.until : undefined;
  if (bound === undefined && !existing) {
    await store.awaitSettled(); // everything recorded before the request lies below the head
    bound = (await store.headPosition()) ?? 0n;
  }
  // Idempotent DDL, so a build whose process died before its first batch just creates what is missing.
  await inTransaction(pool, async (client) => {
    await client.query(createTablesSql(set, projection.tables));
    await client.query(
      `INSERT INTO projection_checkpoints
              (table_set, projection, version, kind, tables, status, until_position, until_time, tenant)
       VALUES ($1, $2, $3, 'asof', $4, 'rebuilding', $5, $6, $7) ON CONFLICT (table_set) DO NOTHING`,
      [
        set.id,
        projection.name,
        projection.version,
        projection.tables.map((t) => t.name),
        String(bound ?? existing?.until_position ?? 0n),
        request.until instanceof Date ? request.until : null,
        request.tenant,
      ],
    );
  });
  const build = await loadCheckpoint(pool, set.id);
  if (!build) throw new Error(`No checkpoint for ${set.id}`);
  assertSameRequest(build, projection, request);
  if (build.status !== 'failed') return build;
  // Asking again is the retry: skips recorded since are honoured, and the build goes on from where it stopped.
  await pool.query(
    `UPDATE projection_checkpoints SET status = 'rebuilding', error = NULL, failed_position = NULL,
            failed_event_id = NULL, failed_tenant = NULL, updated_at = now() WHERE table_set = $1`,
    [set.id],
  );
  return (await loadCheckpoint(pool, set.id)) ?? build;
};

const run = async (
  pool: Pool,
  store: EventStore,
  projection: Projection,
  set: TableSet,
  tenant: string,
  prepared: CheckpointRow,
  options: AsOfBuildOptions,
): Promise<CheckpointRow> => {
  try {
    const untilPosition = BigInt(prepared.until_position ?? '0');
    const untilTime = prepared.until_time;
    const skips = await loadSkips(store, projection.name, projection.version);
    const result = await catchUp(
      store,
      {
        pool,
        projection,
        set,
        skips,
        // The tenant's events only: another tenant's data, or its bad event, never enters (or stops) this build.
        include: (event) => event.metadata.tenant === tenant && (!untilTime || knownBy(event, untilTime)),
      },
      {
        batchSize: options.batchSize ?? 2000,
        untilPosition,
        signal: options.signal,
        // Read by the store from the tenant's streams only (every event's tenant is its stream's, checked on append):
        // one tenant's build costs its own events, not the country's.
        streamPrefixes: [`${tenant}.`],
      },
    );
    let build = await loadCheckpoint(pool, set.id);
    if (!build) throw new Error(`No checkpoint for ${set.id}`);
    if (result === 'failed') throw new AsOfBuildFailed(build);
    if (result === 'stopped') {
      await markFailed(
        pool,
        set.id,
        `Stopped at position ${build.position} before it was finished: the process building it shut down. ` +
          'Ask for the same build again to resume it.',
      );
      return (await loadCheckpoint(pool, set.id)) ?? build;
    }
    await inTransaction(pool, async (client) => {
      const indexes = createIndexesSql(set, projection.tables);
      if (indexes) await client.query(indexes);
      await client.query(makeReadOnlySql(set, projection.tables));
      await client.query(
        "UPDATE projection_checkpoints SET status = 'built', updated_at = now() WHERE table_set = $1",
        [set.id],
      );
    });
    build = await loadCheckpoint(pool, set.id);
    if (!build) throw new Error(`No checkpoint for ${set.id}`);
    return build;
  } catch (error) {
    // An event the handler refused is already in the row; anything else (the database, a bug) is put there now.
    if (!(error instanceof AsOfBuildFailed)) await markFailed(pool, set.id, describe(error)).catch(() => undefined);
    throw error;
  }
};

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);

const markFailed = async (pool: Pool, tableSet: string, error: string): Promise<void> => {
  await pool.query(
    `UPDATE projection_checkpoints SET status = 'failed', error = $2, updated_at = now()
      WHERE table_set = $1 AND status = 'rebuilding'`,
    [tableSet, error],
  );
};

/** The tenant's as-of builds, oldest first; no other tenant's build is listed. */
export const listAsOfBuilds = async (pool: Pool, tenant: string): Promise<AsOfBuildRow[]> => {
  const { rows } = await pool.query<AsOfBuildRow>(
    `SELECT c.*, ${LOCK_HELD} AS building FROM projection_checkpoints c
      WHERE c.kind = 'asof' AND c.tenant = $1 ORDER BY c.created_at, c.table_set`,
    [tenant],
  );
  return rows;
};

/** One as-of build of the tenant, or undefined (another tenant's build of that name is as unknown as none). */
export const loadAsOfBuild = async (pool: Pool, tenant: string, name: string): Promise<AsOfBuildRow | undefined> => {
  const { rows } = await pool.query<AsOfBuildRow>(
    `SELECT c.*, ${LOCK_HELD} AS building FROM projection_checkpoints c
      WHERE c.kind = 'asof' AND c.table_set = $1 AND c.tenant = $2`,
    [asOfTableSet(tenant, name).id, tenant],
  );
  return rows[0];
};

/**
 * The state to report: a build whose row says it is being built but which no process holds (its process was killed)
 * is failed, with what to do about it, not "building" for ever.
 */
export const asOfBuildState = (row: AsOfBuildRow): { state: AsOfState; error: string | null } => {
  if (row.status === 'built') return { state: 'ready', error: null };
  if (row.status === 'failed') return { state: 'failed', error: row.error };
  if (row.building) return { state: 'building', error: null };
  return {
    state: 'failed',
    error:
      `No process is building it any more (the one that was stopped at position ${row.position}). ` +
      'Ask for the same build again to resume it.',
  };
};

/** The tenant's build name, from its checkpoint key `asof:<tenant>:<name>`. */
export const asOfBuildName = (row: Pick<CheckpointRow, 'table_set'>): string =>
  row.table_set.slice(row.table_set.lastIndexOf(':') + 1);

export const dropAsOfBuild = async (pool: Pool, tenant: string, name: string): Promise<boolean> => {
  const set = asOfTableSet(tenant, name);
  return inTransaction(pool, async (client) => {
    await client.query(dropTablesSql(set, []));
    const { rowCount } = await client.query('DELETE FROM projection_checkpoints WHERE table_set = $1', [set.id]);
    return (rowCount ?? 0) > 0;
  });
};
