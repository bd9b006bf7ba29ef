import { chmod, chown, copyFile, lstat, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from 'pg';

/** What a backup is, beside its files: enough to check a restore against. */
export interface BackupManifest {
  createdAt: string;
  serverVersion: string;
  startLsn: string;
  stopLsn: string;
  /** The owner of the server's files, so a restore gives them back to the same user. */
  owner: { uid: number; gid: number };
  /** Counted right after the backup ended: a restore holds at least these. */
  events: { count: number; lastPosition: string | null };
}

export const BACKUP_MANIFEST = 'kulturskole-backup.json';

// The server's own run-time files, and WAL (copied separately, once the backup has ended).
const SKIPPED = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pgsql_tmp']);

/** Copies a tree of a live server: a file that vanishes meanwhile (a temporary one) is not an error. */
const copyTree = async (from: string, to: string, skip: (name: string) => boolean): Promise<void> => {
  const mode = (await stat(from)).mode & 0o777;
  await mkdir(to, { recursive: true });
  await chmod(to, mode);
  for (const entry of await readdir(from, { withFileTypes: true }).catch(() => [])) {
    if (skip(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target, () => false);
    else if (entry.isFile()) {
      const copied = await copyFile(source, target).then(
        () => true,
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
      );
      if (copied) await chmod(target, (await lstat(source).catch(() => ({ mode: 0o600 }))).mode & 0o777);
    }
  }
};

const chownTree = async (folder: string, uid: number, gid: number): Promise<void> => {
  await chown(folder, uid, gid);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid, gid);
    else await chown(full, uid, gid);
  }
};

/**
 * A physical backup of a running server whose data directory this process can read (the embedded default), with
 * PostgreSQL's own low-level API: pg_backup_start, a copy of the data directory, pg_backup_stop, then the WAL written
 * meanwhile and the backup label it returns. No client tools are needed, so their version always matches the
 * server's. A managed server is backed up with its own tools (pg_basebackup of the same major version, volume
 * snapshots): docs/runbook.md.
 */
export const backupDataDirectory = async (pool: Pool, target: string): Promise<BackupManifest> => {
  if (
    await stat(target).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${target} exists: back up into a new folder`);
  const client = await pool.connect();
  try {
    const { rows: settings } = await client.query<{ data_directory: string; server_version: string }>(
      "SELECT current_setting('data_directory') AS data_directory, current_setting('server_version') AS server_version",
    );
    const { data_directory: dataDirectory, server_version: serverVersion } = settings[0] ?? {
      data_directory: '',
      server_version: '',
    };
    const owner = await stat(path.join(dataDirectory, 'PG_VERSION'));
    // The session must stay open until pg_backup_stop: the backup belongs to it.
    const { rows: started } = await client.query<{ lsn: string }>(
      "SELECT pg_backup_start('kulturskole ' || now()::text, true)::text AS lsn",
    );
    await copyTree(dataDirectory, target, (name) => SKIPPED.has(name));
    const { rows: stopped } = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
      'SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)',
    );
    const stop = stopped[0];
    if (!stop) throw new Error('pg_backup_stop returned nothing');
    // The WAL from the backup's start on: recovery replays it to a consistent state.
    await copyTree(
      path.join(dataDirectory, 'pg_wal'),
      path.join(target, 'pg_wal'),
      (name) => name === 'archive_status',
    );
    await mkdir(path.join(target, 'pg_wal', 'archive_status'), { recursive: true });
    await writeFile(path.join(target, 'backup_label'), stop.labelfile);
    if (stop.spcmapfile) await writeFile(path.join(target, 'tablespace_map'), stop.spcmapfile);
    for (const folder of ['pg_replslot', 'pg_stat_tmp']) await mkdir(path.join(target, folder), { recursive: true });
    const events = await client
      .query<{ count: string; last: string | null }>(
        'SELECT count(*)::text AS count, max(position)::text AS last FROM es_events',
      )
      .then(({ rows }) => ({ count: Number(rows[0]?.count ?? 0), lastPosition: rows[0]?.last ?? null }))
      .catch(() => ({ count: 0, lastPosition: null }));
    const manifest: BackupManifest = {
      createdAt: new Date().toISOString(),
      serverVersion,
      startLsn: started[0]?.lsn ?? '',
      stopLsn: stop.lsn,
      owner: { uid: owner.uid, gid: owner.gid },
      events,
    };
    await writeFile(path.join(target, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    client.release();
  }
};

/**
 * Puts a backup where a server's data directory goes; the server recovers from it when it starts (the backup label
 * tells it where to begin replaying WAL). An existing data directory is kept beside it, renamed, never overwritten.
 */
export const restoreDataDirectory = async (
  backup: string,
  dataDirectory: string,
  options: { replaceExisting?: boolean } = {},
): Promise<BackupManifest> => {
  const manifest = JSON.parse(await readFile(path.join(backup, BACKUP_MANIFEST), 'utf8')) as BackupManifest;
  if (
    await stat(dataDirectory).then(
      () => true,
      () => false,
    )
  ) {
    if (!options.replaceExisting) throw new Error(`${dataDirectory} exists: stop the server and pass --replace`);
    await rename(dataDirectory, `${dataDirectory}.replaced-${Date.now()}`);
  }
  await copyTree(backup, dataDirectory, (name) => name === BACKUP_MANIFEST);
  // PostgreSQL refuses a data directory others can read, and runs as the user that owned the files.
  await chmod(dataDirectory, 0o700);
  if (process.getuid?.() === 0) await chownTree(dataDirectory, manifest.owner.uid, manifest.owner.gid);
  return manifest;
};
