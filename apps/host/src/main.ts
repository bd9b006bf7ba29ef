import 'reflect-metadata';
import { admissionMigrations } from '#libs/admission';
import { personalDataMigrations } from '#libs/personal-data';
import { runApp } from '#libs/platform';
import { HostModule } from './host.module.js';

await runApp({
  name: 'host (all services)',
  module: (runtime) => HostModule.forRuntime(runtime),
  migrations: [...personalDataMigrations, ...admissionMigrations],
});
