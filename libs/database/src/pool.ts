import pg from 'pg';

export const IDLE_IN_TRANSACTION_LIMIT = '60s';

export const createPool = (connectionString: string, options: { max?: number; applicationName?: string } = {}) => {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'kulturskole',
    // A dead peer is noticed instead of waited on for ever; an unreachable server fails a request (503) in seconds.
    keepAlive: true,
    connectionTimeoutMillis: 15_000,
    // A transaction left open by a bug is ended by the server: open, it would hold every reader of $all (ADR 0007).
    options: `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_LIMIT}`,
  });
  // An idle connection the server closes (a restart, a shutdown) must not crash the process; the pool replaces it.
  // Once the pool is ending, a connection cut while it closes is expected (pool.end() does not wait for the sockets).
  pool.on('error', (error) => {
    if (!pool.ending) process.emitWarning(`PostgreSQL pool: ${error.message}`);
  });
  // A connection lost while a client is checked out (between two statements of a transaction, the server killed)
  // emits 'error' on that client, which the pool only listens to while it is idle: unheard, it would crash the
  // process. The statement in flight fails anyway, and the pool discards the client once it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      if (!pool.ending) process.emitWarning(`PostgreSQL connection lost: ${error.message}`);
    });
  });
  return pool;
};

/** Runs `work` in one transaction on one connection. */
export const inTransaction = async <T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

export type { Pool, PoolClient } from 'pg';
