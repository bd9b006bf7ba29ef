import 'reflect-metadata';
import { issueToken, loadConfig, ConfigError, createHttpApp, startRuntime } from '#libs/platform';
import { projectionsMigrations } from '#libs/projections';
import { setupOpenApi } from '#libs/query';
import { statisticsMigrations } from '#libs/statistics';
import { QueryApiApp } from './query-api.module.js';

/*
 * Like runApp, plus OpenAPI: Swagger needs the Nest app between its creation and listen(), which runApp has no hook
 * for (a `configure(app)` option there would let this file shrink to a runApp call).
 */
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
  migrations: [...projectionsMigrations, ...statisticsMigrations],
  applicationName: 'query-api',
  log: say,
});
const app = await createHttpApp(QueryApiApp.forRuntime(runtime), runtime);
await setupOpenApi(app, {
  title: 'Kulturskole query API',
  description: 'Read models: statistics, the GSI report, projection status. Bearer token required on every call.',
  version: '1',
});
await app.listen(config.PORT, config.HOST);
const base = (await app.getUrl()).replace('[::1]', 'localhost');
say('');
say('Kulturskole query-api is running');
say(`  Base URL:   ${base}`);
say(`  OpenAPI:    ${base}/docs (Swagger UI), ${base}/docs-json`);
say(`  Health:     ${base}/health`);
if (runtime.localKey) {
  const token = await issueToken(
    runtime.localKey,
    { subject: 'local-admin', tenant: config.DEFAULT_TENANT, role: 'admin' },
    { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, expiresIn: '12h' },
  );
  say(`  Admin token (tenant ${config.DEFAULT_TENANT}, valid 12 h):`);
  say(`    ${token}`);
  say(`  Try: curl -H "Authorization: Bearer <token>" ${base}/statistics/summary`);
}
say('Press Ctrl-C to stop.');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping query-api…`);
  await app.close();
  await runtime.stop();
  say('Stopped.');
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
