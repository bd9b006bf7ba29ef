import 'reflect-metadata';
import { fundingMigrations } from '#libs/funding';
import { personalDataMigrations } from '#libs/personal-data';
import { runApp } from '#libs/platform';
import { projectionsMigrations } from '#libs/projections';
import { FundingApp } from './funding.module.js';

await runApp({
  name: 'funding',
  module: (runtime) => FundingApp.forRuntime(runtime),
  migrations: [...personalDataMigrations, ...projectionsMigrations, ...fundingMigrations],
});
