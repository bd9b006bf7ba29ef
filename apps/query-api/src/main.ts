import 'reflect-metadata';
import { personalDataMigrations } from '#libs/personal-data';
import { runApp } from '#libs/platform';
import { projectionsMigrations } from '#libs/projections';
import { setupOpenApi } from '#libs/query';
import { statisticsMigrations } from '#libs/statistics';
import { QueryApiApp } from './query-api.module.js';

await runApp({
  name: 'query-api',
  module: (runtime) => QueryApiApp.forRuntime(runtime),
  migrations: [...personalDataMigrations, ...projectionsMigrations, ...statisticsMigrations],
  docsPath: '/docs',
  beforeListen: (app) =>
    setupOpenApi(app, {
      title: 'Kulturskole query API',
      description: 'Read models: statistics, the GSI report, the waitlist, fee waivers, projection status.',
      version: '1',
    }),
});
