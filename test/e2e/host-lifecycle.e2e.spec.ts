import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { compiledFile, freePort } from '#libs/testing';

const main = compiledFile(new URL('../../apps/host/src/main.js', import.meta.url));

interface Host {
  child: ChildProcess;
  output: () => string;
  token: string;
  baseUrl: string;
}

/** `npm start` as a newcomer runs it: the host on its own embedded PostgreSQL, in a data folder of its own. */
const startHost = async (env: NodeJS.ProcessEnv): Promise<Host> => {
  const child = spawn(process.execPath, [main], { env, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the host did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = /Admin token[^\n]*\n\s+(\S+)/.exec(output)?.[1] ?? '';
  const baseUrl = /Base URL:\s+(\S+)/.exec(output)?.[1] ?? '';
  return { child, output: () => output, token, baseUrl };
};

const stopWith = async (host: Host, signal: NodeJS.Signals): Promise<number | null> => {
  const exited = new Promise<number | null>((resolve) => host.child.once('exit', (code) => resolve(code)));
  host.child.kill(signal);
  return exited;
};

describe('the host as npm start runs it', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let databaseUrl: string;
  const running: Host[] = [];

  beforeAll(async () => {
    // World-traversable, as the embedded server runs as the postgres user when the tests run as root.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'host-lifecycle-'));
    await chmod(dataDir, 0o755);
    const [port, databasePort] = [await freePort(), await freePort()];
    databaseUrl = `postgres://postgres:kulturskole-local@127.0.0.1:${databasePort}/postgres`;
    env = {
      ...process.env,
      ...{ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(databasePort), LOG_LEVEL: 'warn' },
    };
    // Not the tests' server and broker: its own embedded PostgreSQL, and no Kafka, as on a newcomer's machine.
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    delete env.NODE_TEST_CONTEXT;
  });
  afterAll(async () => {
    for (const host of running) if (host.child.exitCode === null) host.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops on Ctrl-C, services first and PostgreSQL last, and keeps the data for the next start', async () => {
    const first = await startHost(env);
    running.push(first);
    const opened = await fetch(`${first.baseUrl}/enrolment/offerings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...{ subject: 'Piano', subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
        ...{ form: 'individual', capacity: 2, feePerSemesterNok: 2105, schoolYear: '2026-2027' },
      }),
    });
    assert.equal(opened.status, 201);
    const { offeringId } = (await opened.json()) as { offeringId: string };

    assert.equal(await stopWith(first, 'SIGINT'), 0);
    assert.match(first.output(), /Stopped\./);
    assert.doesNotMatch(first.output(), /terminating connection|pool:/i, 'no connection cut from under the services');
    const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
    await assert.rejects(probe.connect(), 'PostgreSQL stopped with the host');

    const second = await startHost(env);
    running.push(second);
    const history = await fetch(`${second.baseUrl}/audit/history/${offeringId}`, {
      headers: { authorization: `Bearer ${second.token}` },
    });
    assert.equal(history.status, 200);
    const { entries } = (await history.json()) as { entries: { type: string }[] };
    assert.equal(entries[0]?.type, 'OfferingOpened', 'the second start kept the first one’s events');
    assert.equal(await stopWith(second, 'SIGTERM'), 0);
  });
});
