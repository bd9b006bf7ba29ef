import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot } from './compiled-file.js';

/** A real single-node KRaft Kafka broker running as a child JVM. */
export interface KafkaBroker {
  /** "127.0.0.1:PORT", ready for kafkajs `brokers: [..]`. */
  readonly brokers: string;
  /** Stops the JVM but keeps ports and data dir, so resume() brings back everything that was written. */
  pause(): Promise<void>;
  /** Starts the JVM again after pause() and waits until it answers. */
  resume(): Promise<void>;
  /** SIGTERM, SIGKILL after 10 s, then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartKafkaBrokerOptions {
  /** Where Maven copies the jars; default <repo>/.cache/kafka/<version>/libs. */
  cacheDir?: string;
  /** Where the broker log goes (kept after stop); default the broker's temp dir (removed on stop). */
  logDir?: string;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const MARKER = '.complete';
const run = promisify(execFile);

const pomFile = path.join(repoRoot, 'deploy', 'kafka', 'pom.xml');

/** The pinned version lives in the pom only, so the cache folder can never disagree with what Maven fetched. */
export async function kafkaVersion(): Promise<string> {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(await readFile(pomFile, 'utf8'));
  if (!match?.[1]) throw new Error(`no <kafka.version> in ${pomFile}`);
  return match[1].trim();
}

/** Copies the broker jars once; later calls only see the marker. Returns the libs folder. */
export async function ensureKafkaJars(cacheDir?: string): Promise<string> {
  const version = await kafkaVersion();
  const libs = cacheDir ?? path.join(repoRoot, '.cache', 'kafka', version, 'libs');
  if (existsSync(path.join(libs, MARKER))) return libs;
  console.log(`[kafka-broker] downloading Kafka ${version} jars with Maven into ${libs}`);
  // copy into a private folder and rename at the end, so parallel test processes never see half a classpath
  const staging = `${libs}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const args = [
      '-q',
      '-B',
      '-f',
      pomFile,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ];
    await run('mvn', args, { maxBuffer: 16 * 1024 * 1024 }).catch(failed(`mvn could not fetch Kafka ${version}`));
    await writeFile(path.join(staging, MARKER), `kafka ${version}\n`);
    if (existsSync(path.join(libs, MARKER))) return libs; // another process finished first and may be using it
    await rm(libs, { recursive: true, force: true }); // a folder without marker is a broken earlier attempt
    await rename(staging, libs).catch((error: unknown) => {
      if (!existsSync(path.join(libs, MARKER))) throw error; // otherwise another process won the race: fine
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return libs;
}

export async function startKafkaBroker(options: StartKafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const libs = await ensureKafkaJars(options.cacheDir);
  hookProcessExit();
  const workDir = await mkdtemp(path.join(tmpdir(), 'kafka-broker-'));
  live.dirs.add(workDir);
  const port = await freePort();
  const controllerPort = await freePort([port]);
  const brokers = `127.0.0.1:${port}`;
  if (options.logDir) await mkdir(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir ?? workDir, `kafka-broker-${port}.log`);
  const props = path.join(workDir, 'server.properties');
  const log4j = path.join(workDir, 'log4j2.properties');
  await writeFile(props, serverProperties(port, controllerPort, path.join(workDir, 'data')));
  await writeFile(log4j, LOG4J2);
  const classpath = ['-cp', `${libs}/*`, `-Dlog4j2.configurationFile=${log4j}`];

  let child: ChildProcess | undefined;
  let stopped = false;

  const failWith = async (reason: string): Promise<never> => {
    if (child) await terminate(child, 0);
    child = undefined;
    const tail = lastLines(await readFile(logFile, 'utf8').catch(() => ''), 20);
    throw new Error(`Kafka broker ${brokers} failed: ${reason}\n--- last lines of ${logFile} ---\n${tail}`);
  };

  const launch = async (): Promise<void> => {
    if (stopped) throw new Error('Kafka broker was stopped');
    if (child) return;
    const fd = openSync(logFile, 'a');
    try {
      child = spawn('java', ['-Xms256m', '-Xmx512m', '-Djava.awt.headless=true', ...classpath, 'kafka.Kafka', props], {
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    live.children.add(child);
    const started = child;
    started.once('exit', () => live.children.delete(started));
    started.once('error', () => live.children.delete(started));
    try {
      await waitUntilReady(brokers, started);
    } catch (error) {
      await failWith(error instanceof Error ? error.message : String(error));
    }
  };

  const halt = async (): Promise<void> => {
    if (child) await terminate(child, STOP_GRACE_MS);
    child = undefined;
  };

  try {
    const clusterId = randomBytes(16).toString('base64url'); // a Kafka Uuid is 16 bytes in base64url
    const format = ['kafka.tools.StorageTool', 'format', '--config', props, `--cluster-id=${clusterId}`];
    await run('java', [...classpath, ...format]).catch(failed('storage format failed'));
    await launch();
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    live.dirs.delete(workDir);
    throw error;
  }

  return {
    brokers,
    pause: halt,
    resume: launch,
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      await rm(workDir, { recursive: true, force: true });
      live.dirs.delete(workDir);
    },
  };
}

// Size limits (message.max.bytes, max.message.bytes, socket.request.max.bytes, replica.fetch.max.bytes) are left at
// Kafka's defaults on purpose: the relay's specs must meet the limits a broker has as Kafka ships it (1 MiB per record
// batch), which a raised limit here would hide (relay-backlog.int.spec.ts checks the broker says 1048588).
function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1', // 50 by default: creating them makes the first group join take seconds
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
    'auto.create.topics.enable=true',
  ].join('\n')}\n`;
}

// WARN keeps the log small; KafkaRaftServer INFO still shows "Kafka Server started" for diagnosis
const LOG4J2 = `status = error
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
`;

async function waitUntilReady(brokers: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no probe finished';
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not start java: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `broker exited during startup (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`,
      );
    }
    const kafka = new Kafka({
      clientId: 'kafka-broker-probe',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.listTopics();
      if (cluster.brokers.length > 0) return;
      lastError = 'no broker registered yet';
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await delay(300);
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s (last probe: ${lastError})`);
}

async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const timer = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
  await exited;
  clearTimeout(timer);
}

/** Ports below Linux's ephemeral range (32768+), so no outgoing connection grabs them while the broker is paused. */
async function freePort(taken: number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await bindable(attempt < 50 ? randomInt(20_000, 32_000) : 0);
    if (port !== undefined && !taken.includes(port)) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** Turns an execFile rejection into an Error carrying the command's last output lines. */
function failed(what: string): (error: unknown) => never {
  return (error: unknown) => {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${what}:\n${lastLines(`${stdout}\n${stderr}`, 20) || String(error)}`);
  };
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

// brokers must not outlive the test process, even when it is killed by the test runner's SIGTERM
const live = { children: new Set<ChildProcess>(), dirs: new Set<string>() };
const killAll = (): void => {
  for (const child of live.children) child.kill('SIGKILL');
  for (const dir of live.dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // the JVM may still be writing; a leftover temp dir is harmless
    }
  }
};
let hooked = false;
function hookProcessExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAll();
      // re-raise so the default "exit on signal" still happens when nobody else handles it
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
