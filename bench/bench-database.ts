import { chmod, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '#libs/database';
import { freePort } from '#libs/testing';

/** A fresh database on DATABASE_URL's server, or on an embedded server started for the benchmark. */
export const benchDatabase = async (label: string): Promise<{ url: string; stop(): Promise<void> }> => {
  let server = process.env.DATABASE_URL;
  let stopServer = async () => undefined as void;
  if (!server) {
    const parent = path.join(os.tmpdir(), `kulturskole-bench-${process.pid}`);
    await mkdir(parent, { recursive: true });
    await chmod(parent, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(parent, 'pg'), port: await freePort() });
    server = embedded.url;
    stopServer = async () => {
      await embedded.stop();
      await rm(parent, { recursive: true, force: true });
    };
  }
  const name = `bench_${label}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await stopServer();
    },
  };
};

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export interface RunFigures {
  label: string;
  events: number;
  seconds: number;
  latenciesMs: number[];
}

export const report = (store: RunFigures, bare: RunFigures): void => {
  for (const run of [store, bare]) {
    const sorted = [...run.latenciesMs].sort((a, b) => a - b);
    console.log(
      `${run.label.padEnd(44)} ${(run.events / run.seconds).toFixed(0).padStart(8)} events/s   ` +
        `p50 ${percentile(sorted, 50).toFixed(2)} ms   p99 ${percentile(sorted, 99).toFixed(2)} ms`,
    );
  }
  console.log(`ratio: ${(store.events / store.seconds / (bare.events / bare.seconds)).toFixed(2)}`);
};
