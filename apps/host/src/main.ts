import 'reflect-metadata';
import { runApp } from '#libs/platform';
import { HostModule } from './host.module.js';
import { hostMigrations } from './migrations.js';

await runApp({
  name: 'host (all services)',
  module: (runtime) => HostModule.forRuntime(runtime),
  migrations: hostMigrations,
});
