/**
 * npm run backup [-- --to <folder>]: a physical backup of the embedded PostgreSQL in DATA_DIR (stop `npm start`
 * first: one process runs the embedded server), made with the server's own backup API, so no client tool has to match
 * its version. With DATABASE_URL the server is not ours to copy: back it up with its own tools (docs/runbook.md).
 * npm run restore -- --from <folder> [--replace]: puts a backup back as DATA_DIR's database, starts it (PostgreSQL
 * recovers from the backup's WAL), checks every hash chain and that it holds what the backup held, and stops.
 */
import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  backupDataDirectory,
  createPool,
  restoreDataDirectory,
  startEmbeddedPostgres,
  type BackupManifest,
} from '#libs/database';
import { verifyIntegrity } from '#libs/event-store';
import { loadConfig } from '#libs/platform';

const { values } = parseArgs({
  options: {
    to: { type: 'string' },
    from: { type: 'string' },
    replace: { type: 'boolean', default: false },
    restore: { type: 'boolean', default: false },
  },
});
const restoring = values.restore;

const main = async (): Promise<number> => {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  if (config.DATABASE_URL) {
    console.error(
      'DATABASE_URL is set: back that server up with its own tools of the same major version (pg_basebackup, or ' +
        'volume snapshots), and restore with them (docs/runbook.md, Backup and restore).',
    );
    return 2;
  }
  const dataDir = path.resolve(config.DATA_DIR, 'postgres');
  if (restoring) {
    if (!values.from) throw new Error('usage: npm run restore -- --from <backup folder> [--replace]');
    const manifest = await restoreDataDirectory(path.resolve(values.from), dataDir, {
      replaceExisting: values.replace,
    });
    return verify(dataDir, config.EMBEDDED_POSTGRES_PORT, manifest);
  }
  const target = path.resolve(values.to ?? path.join('backups', new Date().toISOString().replace(/[:.]/g, '-')));
  const database = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_POSTGRES_PORT });
  const pool = createPool(database.url, { max: 2, applicationName: 'backup' });
  try {
    const manifest = await backupDataDirectory(pool, target);
    console.log(
      `backed up ${dataDir} to ${target}: ${manifest.events.count} events, PostgreSQL ${manifest.serverVersion}, ` +
        `WAL ${manifest.startLsn}..${manifest.stopLsn}`,
    );
    return 0;
  } finally {
    await pool.end();
    await database.stop();
  }
};

/** Starts the restored server (it recovers from the backup's WAL), checks it, and stops it. */
const verify = async (dataDir: string, port: number, manifest: BackupManifest): Promise<number> => {
  const database = await startEmbeddedPostgres({ dataDir, port });
  const pool = createPool(database.url, { max: 2, applicationName: 'restore' });
  try {
    const report = await verifyIntegrity(pool);
    const held = report.eventsChecked >= manifest.events.count;
    console.log(
      `restored into ${dataDir}: ${report.eventsChecked} events (the backup held ${manifest.events.count}), ` +
        (report.firstBreak ? `chain broken at position ${report.firstBreak.position}` : 'every hash chain intact'),
    );
    return report.firstBreak || !held ? 2 : 0;
  } finally {
    await pool.end();
    await database.stop();
  }
};

// Explicit exits: embedded-postgres's exit hook would otherwise turn a failure into exit code 0.
await main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
