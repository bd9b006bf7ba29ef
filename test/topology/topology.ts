/**
 * The compose deployment on this machine: the shared PostgreSQL and Kafka of the test run, a local identity provider,
 * the secret files compose mounts, and every app of docker-compose.yml as its own process from dist/.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createTestDatabase, freePort, type TestDatabase } from '#libs/testing';
import { startAppProcess, waitUntilHealthy, type AppProcess } from './app-process.js';
import { appServices, provisionedTopics, readCompose, type AppService } from './compose-topology.js';
import { startLocalIssuer, type LocalIssuer } from './local-issuer.js';

const SECRETS_IN_CONTAINER = '/run/secrets/';

export interface Topology {
  apps: Map<string, AppProcess>;
  services: AppService[];
  issuer: LocalIssuer;
  database: TestDatabase;
  /** Files the apps wrote outside their volumes: compose runs them on a read-only root, where each would fail. */
  writtenOutsideVolumes(): Promise<string[]>;
  /** The app's base URL; fails naming the app when compose does not run it. */
  url(app: string): string;
  stop(): Promise<void>;
}

/** What the operator puts in each secret file (deploy/make-secrets.sh); a secret compose adds must be added here. */
const secretContents = (database: TestDatabase): Record<string, string> => ({
  database_url: database.url,
  postgres_password: randomBytes(18).toString('base64url'),
  personal_data_master_key: randomBytes(32).toString('base64'),
  audit_signing_key: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

/**
 * The container's view turned into this machine's: a path under /run/secrets/ is the secret's file, a path under a
 * volume's mount point lies in that volume's folder. A secret the service is not given is an error in compose.
 */
const hostEnvironment = (service: AppService, folders: { secrets: string; volumes: string }) =>
  Object.fromEntries(
    Object.entries(service.environment).map(([key, value]) => {
      if (value.startsWith(SECRETS_IN_CONTAINER)) {
        const secret = value.slice(SECRETS_IN_CONTAINER.length);
        if (!service.secrets.includes(secret)) {
          throw new Error(`compose: ${service.name} reads ${value} (${key}) but is not given the secret ${secret}`);
        }
        return [key, path.join(folders.secrets, secret)];
      }
      const mount = Object.keys(service.volumes).find((target) => value.startsWith(`${target}/`));
      if (mount) return [key, path.join(folders.volumes, service.volumes[mount] ?? '', value.slice(mount.length))];
      return [key, value];
    }),
  );

/** What compose's `kafka-topics` service does before any app starts. */
const provisionTopics = async (brokers: string): Promise<void> => {
  const admin = new Kafka({
    clientId: 'topology-topics',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = provisionedTopics().filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
};

export interface TopologyOptions {
  /** Changes to one service's compose environment before it starts (a variable removed, to see it refused). */
  edit?: (service: AppService) => AppService;
  /** Only these apps (all of compose by default). */
  only?: string[];
  /** Wait until each is healthy (default); otherwise the caller watches the processes. */
  waitHealthy?: boolean;
}

export const startTopology = async (options: TopologyOptions = {}): Promise<Topology> => {
  const audience = appServices({})[0]?.environment.AUTH_AUDIENCE ?? '';
  const issuer = await startLocalIssuer(audience);
  const database = await createTestDatabase('topology');
  const root = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-topology-'));
  const folders = { secrets: path.join(root, 'secrets'), volumes: path.join(root, 'volumes') };
  const apps = new Map<string, AppProcess>();
  const stop = async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await issuer.close();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  };
  try {
    // What an operator supplies: the ${…} variables of compose, here pointing at this run's servers.
    const variables = {
      EVENT_STORE: 'postgres',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_ISSUER: issuer.issuer,
    };
    const services = appServices(variables)
      .filter((service) => !options.only || options.only.includes(service.name))
      .map((service) => options.edit?.(service) ?? service);
    if (process.env.KAFKA_BROKERS) await provisionTopics(process.env.KAFKA_BROKERS);
    await mkdir(folders.secrets, { recursive: true });
    const contents = secretContents(database);
    for (const secret of Object.keys(readCompose().secrets ?? {})) {
      const content = contents[secret];
      if (content === undefined) throw new Error(`compose declares the secret ${secret}; give it a test value here`);
      await writeFile(path.join(folders.secrets, secret), content, { mode: 0o600 });
    }
    for (const service of services) {
      for (const volume of Object.values(service.volumes))
        await mkdir(path.join(folders.volumes, volume), { recursive: true });
      // Its own writable folder, as the container's /app.
      const cwd = path.join(root, 'apps', service.name);
      await mkdir(cwd, { recursive: true });
      await chmod(cwd, 0o700);
      const port = await freePort();
      // The one change from the container: one host, so each app gets a port of its own.
      const env = { ...hostEnvironment(service, folders), HOST: '127.0.0.1', PORT: String(port) };
      apps.set(service.name, startAppProcess({ name: service.name, script: service.script, env, cwd, port }));
    }
    if (options.waitHealthy !== false) {
      await Promise.all(
        services.map((service) => waitUntilHealthy(apps.get(service.name) as AppProcess, service.healthPath)),
      );
    }
    return {
      apps,
      services,
      issuer,
      database,
      async writtenOutsideVolumes() {
        const written = await readdir(path.join(root, 'apps'), { recursive: true, withFileTypes: true });
        return written.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
      },
      url(name) {
        const app = apps.get(name);
        if (!app) throw new Error(`docker-compose.yml runs no app named ${name}`);
        return app.baseUrl;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
